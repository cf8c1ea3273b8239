import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import type { SessionResponse } from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsClientAs, signInDemoRole } from './testing/demoSessions.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

/**
 * Issue 20, the clinic doctor's main job in Chromium against the platform as `npm start` runs it, in Arabic:
 * register a patient through the form, book a consultation with a named cardiologist in a free slot the
 * picker offers, and find the booked appointment in the clinic's list.
 */
describe('the clinic registers a patient and books a slot, in Arabic', () => {
  let platform: RunningPlatform;
  let browser: LaunchedChromium;
  let dataDir: string;
  let clinic: SessionResponse;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-clinic-e2e-'));
    platform = await startPlatformOnFreePorts(dataDir, { LOG_LEVEL: 'warn' });
    clinic = await signInDemoRole(platform, 'clinic_doctor');
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers, books a free slot with a named specialist, and lists the appointment', async () => {
    const page = await browser.context.newPage();
    await page.goto(platform.urls.clinicApp);
    await page.evaluate(() => localStorage.setItem('telemed.locale', 'ar'));
    await page.goto(`${platform.urls.clinicApp}/patients/new`);
    const account = platform.demoAccounts.find((a) => a.username === clinic.user.username);
    if (!account) throw new Error('no demo clinic account');
    await page.locator('input[name=username]').fill(account.username);
    await page.fill('input[name=password]', account.password);
    await page.click('button[type=submit]');

    const form = page.getByRole('form', { name: 'تسجيل مريض جديد' });
    await form.waitFor({ timeout: 30_000 });
    const mrn = `E2E-${Date.now().toString(36)}`;
    await form.getByRole('textbox', { name: 'الاسم بالعربية' }).fill('منى عبد الرحيم');
    await form.getByRole('textbox', { name: 'الاسم بالحروف اللاتينية' }).fill('Mona Abdelrahim');
    await form.getByRole('textbox', { name: 'رقم الملف الطبي' }).fill(mrn);
    // A national ID of a woman born on 1985-04-12 in Cairo (01): the form fills in the birth date from it.
    await form.getByRole('textbox', { name: 'الرقم القومي' }).fill('28504120100248');
    await form.getByRole('textbox', { name: 'الرقم القومي' }).blur();
    await expect.poll(() => form.getByLabel('تاريخ الميلاد').inputValue()).toBe('1985-04-12');
    const allergies = form.getByLabel('الحساسية', { exact: true });
    await allergies.fill('البنسلين');
    await allergies.press('Enter');
    await form.getByRole('button', { name: 'إضافة دواء' }).click();
    await form.getByRole('textbox', { name: /^الدواء/ }).fill('ميتفورمين');
    await form.getByRole('button', { name: 'تسجيل المريض' }).click();

    // The patient's record, with what was registered.
    const record = page.getByRole('region', { name: 'منى عبد الرحيم' });
    await record.waitFor({ timeout: 30_000 });
    expect(await record.getByText(mrn).isVisible()).toBe(true);
    expect(await record.getByText('البنسلين').isVisible()).toBe(true);
    const patientUrl = new URL(page.url());
    const patientId = patientUrl.pathname.split('/')[2] ?? '';

    // Book with a named cardiologist, in the first free slot the picker offers.
    await record.getByRole('link', { name: 'حجز استشارة' }).click();
    const booking = page.getByRole('region', { name: 'حجز استشارة' });
    await booking.waitFor({ timeout: 30_000 });
    await booking.getByText('بطبيب استشاري محدد').click();
    await booking.getByLabel('التخصص', { exact: true }).click();
    await page.getByRole('option', { name: 'أمراض القلب' }).click();
    await booking.getByLabel('الطبيب الاستشاري', { exact: true }).click();
    await page.getByRole('option', { name: 'أ.د. سمير حنا' }).click();
    const days = booking.getByRole('group', { name: 'اليوم' });
    await days.waitFor({ timeout: 30_000 });
    const firstOpenDay = days.locator('button:not([disabled])').first();
    await firstOpenDay.click();
    const slots = booking.getByRole('group', { name: 'الوقت المتاح' });
    const firstSlot = slots.getByRole('button').first();
    const slotLabel = (await firstSlot.getAttribute('aria-label')) ?? '';
    await firstSlot.click();
    expect(await firstSlot.getAttribute('aria-pressed')).toBe('true');
    await booking.getByRole('textbox', { name: 'سبب الاستشارة' }).fill('خفقان متكرر');
    await booking.getByRole('button', { name: 'تأكيد الحجز' }).click();

    // Back on the record: the appointment is there, and in the clinic's list on the home page.
    const coming = page.getByRole('region', { name: 'المواعيد القادمة للمريض' });
    await coming.getByText('خفقان متكرر').waitFor({ timeout: 30_000 });
    const booked = await recordsClientAs(platform, clinic).call('listAppointments', {
      query: { patientId, limit: 10 },
    });
    expect(booked.items).toEqual([
      expect.objectContaining({ status: 'scheduled', specialty: 'cardiology', reason: 'خفقان متكرر' }),
    ]);
    expect(slotLabel).toMatch(/^من .+ إلى .+$/);

    await page.goto(platform.urls.clinicApp);
    const list = page.getByRole('region', { name: 'المواعيد القادمة' });
    await list.waitFor({ timeout: 30_000 });
    await expect.poll(() => list.getByText('منى عبد الرحيم').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.close();
  }, 240_000);
});
