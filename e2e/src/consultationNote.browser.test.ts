import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { SessionResponse } from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsClientAs, scheduledAppointments, signInDemoRole } from './testing/demoSessions.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

type Page = Awaited<ReturnType<LaunchedChromium['context']['newPage']>>;

/**
 * Issue 19, step 6 in Chromium against the platform as `npm start` runs it: the specialist writes the note,
 * picks an ICD-10 diagnosis by an Arabic word, autosaves; a second tab edits the same note, the first sees the
 * conflict and keeps its text; the specialist signs; the clinic doctor reads the signed note and prints it.
 */
describe('the consultation note in the browser', () => {
  let platform: RunningPlatform;
  let specialistBrowser: LaunchedChromium;
  let clinicBrowser: LaunchedChromium;
  let dataDir: string;
  let specialist: SessionResponse;
  let clinic: SessionResponse;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-note-e2e-'));
    platform = await startPlatformOnFreePorts(dataDir, { LOG_LEVEL: 'warn' });
    specialist = await signInDemoRole(platform, 'specialist');
    clinic = await signInDemoRole(platform, 'clinic_doctor');
    // Two browsers: each person has their own profile, as on two machines.
    specialistBrowser = await launchChromium();
    clinicBrowser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await specialistBrowser?.close();
    await clinicBrowser?.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens `path` of an app in Arabic, signing in through the form when asked to. */
  async function openSignedIn(
    browser: LaunchedChromium,
    app: 'clinicApp' | 'specialistApp',
    path: string,
    username: string,
  ) {
    const page = await browser.context.newPage();
    await page.goto(platform.urls[app]);
    await page.evaluate(() => localStorage.setItem('telemed.locale', 'ar'));
    await page.goto(`${platform.urls[app]}${path}`);
    const login = page.locator('input[name=username]');
    const ready = page.locator('#note-heading');
    await expect
      .poll(async () => (await login.isVisible()) || (await ready.isVisible()), { timeout: 30_000 })
      .toBe(true);
    if (await login.isVisible()) {
      const account = platform.demoAccounts.find((a) => a.username === username);
      if (!account) throw new Error(`no demo account ${username}`);
      await login.fill(account.username);
      await page.fill('input[name=password]', account.password);
      await page.click('button[type=submit]');
    }
    await ready.waitFor({ timeout: 30_000 });
    return page;
  }

  const status = (page: Page) => page.getByRole('status').filter({ hasText: /محفوظ|حفظ|تعارض|اتصال|أكمل/ });

  it('writes, picks a diagnosis by an Arabic word, autosaves, settles a conflict with a second tab, signs; the clinic prints it', async () => {
    const [appointment] = await scheduledAppointments(platform, clinic, specialist);
    if (!appointment) throw new Error('no seeded appointment between the demo clinic and specialist');
    const notePath = `/consultations/${appointment.id}/note`;
    const asSpecialist = recordsClientAs(platform, specialist);

    const first = await openSignedIn(specialistBrowser, 'specialistApp', notePath, specialist.user.username);
    const findings = first.getByRole('textbox', { name: 'الفحص والنتائج' });
    await findings.fill('نفخة انقباضية خفيفة');
    const search = first.getByRole('textbox', { name: /بحث عن تشخيص/ });
    await search.fill('السكري الثاني دون');
    await first.getByRole('option', { name: /^E11\.9 / }).waitFor({ timeout: 30_000 });
    // With the keyboard, as a person would: down to the first result, then Enter.
    await search.press('ArrowDown');
    await search.press('Enter');
    await expect.poll(() => first.getByText('رئيسي').count()).toBeGreaterThan(0);
    await expect.poll(() => status(first).textContent(), { timeout: 30_000 }).toBe('محفوظ');
    const { id: consultationId } = await asSpecialist.call('openConsultation', {
      params: { appointmentId: appointment.id },
    });
    const saved = await asSpecialist.call('getConsultation', { params: { id: consultationId } });
    expect(saved.content.findings).toBe('نفخة انقباضية خفيفة');
    expect(saved.content.diagnoses).toEqual([expect.objectContaining({ code: 'E11.9', kind: 'primary' })]);

    // The clinic doctor, before the signature: not signed yet.
    const clinicPage = await openSignedIn(clinicBrowser, 'clinicApp', notePath, clinic.user.username);
    await expect.poll(() => clinicPage.getByText('لم يوقّع الاستشاري الملاحظة بعد.').isVisible()).toBe(true);

    // A second tab of the same specialist changes the findings and saves.
    const second = await openSignedIn(specialistBrowser, 'specialistApp', notePath, specialist.user.username);
    const secondFindings = second.getByRole('textbox', { name: 'الفحص والنتائج' });
    await expect.poll(() => secondFindings.inputValue()).toBe('نفخة انقباضية خفيفة');
    await secondFindings.fill('لا نفخة');
    await expect.poll(() => status(second).textContent(), { timeout: 30_000 }).toBe('محفوظ');

    // The first tab, at the older version, edits the same field: the conflict is shown, the person keeps theirs.
    await findings.fill('نفخة انقباضية خفيفة في البؤرة الأورطية');
    const conflict = first.getByRole('region', { name: 'عدّل شخص آخر الملاحظة في الأثناء' });
    await conflict.waitFor({ timeout: 30_000 });
    expect(await conflict.getByText('لا نفخة').isVisible()).toBe(true);
    await conflict.getByText('إبقاء نصي').click();
    await conflict.getByRole('button', { name: 'تطبيق الاختيار والحفظ' }).click();
    await expect.poll(() => status(first).textContent(), { timeout: 30_000 }).toBe('محفوظ');
    expect(await conflict.count()).toBe(0);
    const afterConflict = await asSpecialist.call('getConsultation', { params: { id: consultationId } });
    expect(afterConflict.content.findings).toBe('نفخة انقباضية خفيفة في البؤرة الأورطية');
    expect(afterConflict.content.diagnoses).toEqual([expect.objectContaining({ code: 'E11.9' })]);

    // Sign, after the confirmation: the editor turns read-only.
    await first.getByRole('button', { name: 'توقيع الملاحظة' }).click();
    await first.getByRole('dialog').getByRole('button', { name: 'نعم، وقّع' }).click();
    await expect
      .poll(() => first.getByRole('button', { name: 'توقيع الملاحظة' }).count(), { timeout: 30_000 })
      .toBe(0);
    expect(await findings.getAttribute('readonly')).not.toBeNull();
    const signed = await asSpecialist.call('getConsultation', { params: { id: consultationId } });
    expect(signed.status).toBe('signed');

    // The clinic doctor sees the signed note: the hospital, the clinic, the diagnosis, the signature.
    await clinicPage.reload();
    const note = clinicPage.locator('article.signed-note');
    await note.waitFor({ timeout: 30_000 });
    await expect.poll(() => note.textContent(), { timeout: 30_000 }).toContain('مستشفيات جامعة أسيوط');
    await expect.poll(() => note.textContent(), { timeout: 30_000 }).toContain(specialist.user.name.ar);
    const text = (await note.textContent()) ?? '';
    expect(text).toContain('وحدة صحة أسرة أبنوب');
    expect(text).toContain('E11.9');
    expect(text).toContain('نفخة انقباضية خفيفة في البؤرة الأورطية');
    expect(await clinicPage.getAttribute('html', 'dir')).toBe('rtl');

    // Print preview: only the note, without the print button or the app's header.
    await clinicPage.emulateMedia({ media: 'print' });
    expect(await clinicPage.getByRole('button', { name: 'طباعة' }).isVisible()).toBe(false);
    expect(await clinicPage.getByRole('button', { name: 'تسجيل الخروج' }).isVisible()).toBe(false);
    expect(await note.isVisible()).toBe(true);
    await clinicPage.screenshot({ path: join(dataDir, 'signed-note-print.png'), fullPage: true });
    const pdf = await clinicPage.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 is 595 × 842 points (the stylesheet's @page size, which the PDF follows).
    const pages = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)];
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))])).toContainEqual([595, 842]);
    await clinicPage.emulateMedia({ media: 'screen' });
    expect(await clinicPage.getByRole('button', { name: 'طباعة' }).isVisible()).toBe(true);
  }, 240_000);
});
