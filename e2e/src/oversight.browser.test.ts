import { readFileSync } from 'node:fs';
import { createRecordsClient, type SessionResponse } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { browserForSuite } from './testing/browserForSuite.js';
import { platformForSuite } from './testing/platformForSuite.js';
import { request } from './testing/signalingClient.js';

type Locale = 'ar' | 'en';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** A CSV's rows without its byte-order mark and header, split into cells (no quoted commas in these files). */
const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(','));

/**
 * Issue 20, oversight in Chromium against the platform as `npm start` runs it: the administrator's report (chart,
 * table, CSV, filters in the URL) in English; the auditor filtering the trail to one patient, one event's detail
 * and the audited export, in Arabic; the governance dashboard following a room driven through signaling.
 */
describe('oversight in the admin app', () => {
  const suite = platformForSuite('oversight');
  const chromium = browserForSuite(suite);

  /** Opens `path` in the admin app in `locale`, signed in as `username` through the sign-in form. */
  const signedIn = (locale: Locale, username: string, path: string, ready: string) =>
    chromium.signedIn({ app: suite.platform.urls.adminApp, path, locale, username, ready, reopen: true });

  const usernameOf = (role: string) => {
    const account = suite.platform.demoAccounts.find((a) => a.role === role);
    if (!account) throw new Error(`no demo ${role}`);
    return account.username;
  };

  it('shows the administrator a report as a chart, the table of the API’s rows and their CSV, in English', async () => {
    const admin = await suite.signIn('administrator');
    const asAdminInEnglish = createRecordsClient({
      baseUrl: suite.platform.urls.records,
      accessToken: () => admin.accessToken,
      locale: () => 'en',
    });
    const filters = { from: day(-30), to: day(60), groupBy: 'specialty' as const };
    const report = await asAdminInEnglish.call('consultationReport', { query: filters });
    if (typeof report !== 'object') throw new Error('the JSON report came back as text');
    expect(report.rows.length).toBeGreaterThan(0);

    const search = `?from=${filters.from}&to=${filters.to}&groupBy=specialty`;
    const page = await signedIn('en', usernameOf('administrator'), `/reports${search}`, '#reports-heading');
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    const table = page.getByRole('table', { name: 'Report table' });
    await table.waitFor({ timeout: 30_000 });

    // The charts: three figures, each an SVG with a bar series per measure; the counts' bars are drawn, one per
    // group and measure that is not zero, and the groups named in English under them.
    const counts = page.getByRole('figure', { name: 'Appointments and completed consultations' });
    const drawn =
      report.rows.filter((r) => r.appointments > 0).length +
      report.rows.filter((r) => r.completed > 0).length;
    await expect
      .poll(() => counts.locator('.recharts-bar-rectangle path').count(), { timeout: 30_000 })
      .toBe(drawn);
    const countsText = await counts.textContent();
    for (const row of report.rows) expect(countsText).toContain(row.labels.en);
    const rates = page.getByRole('figure', { name: 'No-show and cancellation rates (%)' });
    expect(await rates.locator('svg.recharts-surface').count()).toBeGreaterThan(0);
    expect(await rates.locator('.recharts-bar').count()).toBe(2);
    const times = page.getByRole('figure', { name: 'Median wait and duration (minutes)' });
    expect(await times.locator('.recharts-bar').count()).toBe(2);

    // The table under them is the API's rows, in order, named in English.
    const bodyRows = table.locator('tbody tr');
    expect(await bodyRows.count()).toBe(report.rows.length);
    for (const [index, row] of report.rows.entries()) {
      const cells = await bodyRows.nth(index).locator('td').allTextContents();
      expect(cells[0]).toBe(row.labels.en);
      expect(cells[1]).toBe(String(row.appointments));
      expect(cells[2]).toBe(String(row.completed));
    }

    // The CSV: a real download of the same rows.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`consultations-${filters.from}-${filters.to}.csv`);
    const csv = csvRows(readFileSync(await download.path(), 'utf8'));
    expect(csv.map((cells) => [cells[0], cells[1], Number(cells[2]), Number(cells[3])])).toEqual(
      report.rows.map((row) => [row.group, row.labels.en, row.appointments, row.completed]),
    );

    // The filters live in the URL: a change is written there, and a reload keeps it.
    await page.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Clinic' });
    await expect.poll(() => new URL(page.url()).searchParams.get('groupBy')).toBe('clinic');
    await page.reload();
    await page.getByRole('table', { name: 'Report table' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('combobox', { name: 'Group by' }).inputValue()).toBe('clinic');
    const inWords = (day: string) =>
      new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${day}T00:00:00Z`));
    expect(await page.getByLabel('From').inputValue()).toBe(inWords(filters.from));
    expect(new URL(page.url()).searchParams.get('from')).toBe(filters.from);
    expect(new URL(page.url()).searchParams.get('to')).toBe(filters.to);
    await page.close();
  });

  it('lets the auditor filter the trail to one patient, open an event and export the trail, in Arabic', async () => {
    // A clinic doctor reads one of their patients twice: two audited reads of that patient.
    const clinic = await suite.signIn('clinic_doctor');
    const asClinic = suite.recordsAs(clinic);
    const [patient, other] = (await asClinic.call('searchPatients', { query: { limit: 2 } })).items;
    if (!patient || !other) throw new Error('the demo clinic has fewer than two patients');
    await asClinic.call('getPatient', { params: { id: patient.id } });
    await asClinic.call('getPatient', { params: { id: patient.id } });
    await asClinic.call('getPatient', { params: { id: other.id } });
    const auditor: SessionResponse = await suite.signIn('auditor');
    const asAuditor = suite.recordsAs(auditor);
    const expected = await asAuditor.call('listAuditEvents', { query: { patientId: patient.id, limit: 50 } });
    expect(expected.items.length).toBeGreaterThanOrEqual(2);

    const page = await signedIn('ar', usernameOf('auditor'), '/audit', '#audit-heading');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const table = page.getByRole('table', { name: 'أحداث التدقيق' });
    await table.waitFor({ timeout: 30_000 });
    // The patient is found by name, as an auditor knows them, and the filter keeps their id.
    const picker = page.getByRole('combobox', { name: 'المريض', exact: true });
    await picker.fill(patient.name.ar);
    await page.getByRole('option', { name: new RegExp(patient.mrn) }).click({ timeout: 30_000 });
    await expect.poll(() => new URL(page.url()).searchParams.get('patientId')).toBe(patient.id);
    // That patient's events: at least those records listed before the page opened (reading the trail is itself
    // audited, and such reads name the patient filtered on, so the count may only grow), each naming them.
    await expect
      .poll(() => table.locator('tbody tr').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(expected.items.length);
    for (const row of await table.locator('tbody tr').all()) {
      expect(await row.textContent()).toContain(patient.name.ar);
    }

    // One event's detail names the patient.
    await table.locator('tbody tr').first().getByRole('link').click();
    await page.locator('#audit-event-heading').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('table').textContent()).toContain(patient.id);
    expect(await page.getByRole('table').textContent()).not.toContain(other.id);
    // The same event by its URL alone (a bookmark): read from records by id.
    const eventUrl = page.url();
    const byUrl = await chromium.browser.context.newPage();
    await byUrl.goto(eventUrl);
    await expect
      .poll(async () => (await byUrl.getByRole('table').textContent({ timeout: 30_000 })) ?? '', {
        timeout: 30_000,
      })
      .toContain(patient.id);
    await byUrl.close();
    await page.getByRole('link', { name: 'العودة إلى السجل' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('patientId')).toBe(patient.id);

    // The export of the filtered trail downloads that patient's events only, and is itself in the trail.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: 'تصدير ملف CSV' }).click(),
    ]);
    const rows = csvRows(readFileSync(await download.path(), 'utf8'));
    expect(rows.length).toBeGreaterThanOrEqual(expected.items.length);
    for (const cells of rows) expect(cells.join(',')).toContain(patient.id);
    const exports = await asAuditor.call('listAuditEvents', { query: { action: 'export', limit: 5 } });
    expect(exports.items[0]).toMatchObject({
      action: 'export',
      resourceType: 'audit-log',
      actorId: auditor.user.id,
      reason: expect.stringContaining(patient.id),
    });
    await page.goto(`${suite.platform.urls.adminApp}/audit?action=export`);
    const exportRows = page.getByRole('table', { name: 'أحداث التدقيق' }).locator('tbody tr');
    await expect.poll(() => exportRows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await exportRows.first().textContent()).toContain('تصدير');
    await page.close();
  });

  it('shows a waiting clinic and then a consultation in progress on the governance dashboard, by itself', async () => {
    const clinic = await suite.signIn('clinic_doctor');
    const specialist = await suite.signIn('specialist');
    const [appointment] = await suite.scheduledAppointments(clinic, specialist, 1);
    if (!appointment) throw new Error('no scheduled demo appointment');

    const page = await signedIn('en', usernameOf('administrator'), '/governance', '#governance-heading');
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    const card = (label: string) =>
      page.locator('.mantine-Paper-root', { hasText: label }).locator('p').last();
    await expect.poll(() => card('Consultations running now').textContent(), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => card('Clinics waiting').textContent()).toBe('0');

    // The clinic joins its room: the dashboard shows it waiting, without a reload.
    const clinicSocket = await suite.connect(clinic);
    expect(
      await request(clinicSocket).emitWithAck('room:join', { appointmentId: appointment.id }),
    ).toMatchObject({ ok: true });
    await expect.poll(() => card('Clinics waiting').textContent(), { timeout: 30_000 }).toBe('1');
    const waiting = page.getByRole('region', { name: 'Waiting to be admitted' });
    await expect.poll(() => waiting.textContent(), { timeout: 30_000 }).toContain('less than a minute');
    // Named in Latin letters on the English screen.
    expect(await waiting.textContent()).toContain(clinic.user.name.latin);

    // The specialist joins and admits it: a consultation in progress, nobody waiting.
    const specialistSocket = await suite.connect(specialist);
    expect(
      await request(specialistSocket).emitWithAck('room:join', { appointmentId: appointment.id }),
    ).toMatchObject({ ok: true });
    expect(
      await request(specialistSocket).emitWithAck('room:admit', {
        appointmentId: appointment.id,
        participantId: clinic.user.id,
      }),
    ).toMatchObject({ ok: true });
    await expect.poll(() => card('Consultations running now').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => card('Clinics waiting').textContent(), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => waiting.textContent()).toContain('No clinic is waiting.');
    expect(suite.died).toEqual([]);
    await page.close();
  });
});
