import { createRecordsClient, RecordsApiError, type SessionResponse, type Specialty } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserForSuite } from './testing/browserForSuite.js';
import { recordsClientAs } from './testing/demoSessions.js';
import { platformForSuite } from './testing/platformForSuite.js';

const cairo = 'Africa/Cairo';
const cairoDay = (moment: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: cairo,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(moment);
const addDays = (day: string, days: number) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
/** `HH:mm` on `day` in Cairo as an instant (Cairo is UTC+2, or +3 in summer time: both tried, the right kept). */
const cairoTime = (day: string, time: string) =>
  [2, 3]
    .map((offset) => new Date(`${day}T${time}:00+0${offset}:00`))
    .find(
      (moment) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: cairo,
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(moment) === time,
    ) as Date;

/**
 * Issue 20, the administrator's main job in Chromium against the platform as `npm start` runs it, in Arabic:
 * create a clinic doctor's account; give a specialist leave on a working day; a clinic doctor's booking of that
 * specialist on that day is then refused; the scheduling calendar shows the leave.
 */
describe('the administrator in the admin app', () => {
  const suite = platformForSuite('admin');
  const chromium = browserForSuite(suite);
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let admin: SessionResponse;

  beforeAll(async () => {
    clinic = await suite.signIn('clinic_doctor');
    specialist = await suite.signIn('specialist');
    admin = await suite.signIn('administrator');
  });

  const signedInArabic = (username: string, path: string, ready: string) =>
    chromium.signedIn({ app: suite.platform.urls.adminApp, path, locale: 'ar', username, ready });

  it('creates a clinic doctor, gives a specialist leave; booking that day is refused and the calendar shows it', async () => {
    const { platform } = suite;
    const asAdmin = recordsClientAs(platform, admin);
    const page = await signedInArabic(admin.user.username, '/users', '#users-heading');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');

    // A new clinic doctor's account, through the form.
    await page.getByRole('button', { name: 'إنشاء حساب' }).click();
    const dialog = page.getByRole('dialog');
    const clinicOrg = await asAdmin.call('getOrganization', { params: { id: clinic.user.organizationId } });
    // Found by a word of its name, searched on the server, as among a ministry's thousands of clinics.
    const picker = dialog.getByRole('combobox', { name: 'الجهة' });
    await picker.click();
    await picker.fill(clinicOrg.name.ar.split(' ').at(-1) ?? clinicOrg.name.ar);
    await page.getByRole('option', { name: `${clinicOrg.name.ar}، ${clinicOrg.governorate}` }).click();
    await dialog.getByLabel('الاسم بالعربية').fill('د. هالة الجديدة');
    await dialog.getByLabel('الاسم بالحروف اللاتينية').fill('Dr Hala New');
    await dialog.getByLabel('اسم المستخدم').fill('hala.new');
    await dialog.getByLabel('كلمة مرور مؤقتة').fill('temporary-password-1');
    await dialog.getByRole('button', { name: 'إنشاء الحساب' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const accounts = await asAdmin.call('listUsers', { query: { role: 'clinic_doctor', limit: 100 } });
    expect(accounts.items.find((u) => u.username === 'hala.new')).toMatchObject({
      organizationId: clinic.user.organizationId,
      active: true,
    });
    const firstLogin = await recordsClientAs(platform, admin).call('login', {
      body: { username: 'hala.new', password: 'temporary-password-1' },
    });
    expect(firstLogin.user.mustChangePassword).toBe(true);

    // The first day from tomorrow on which the specialist has hours, within a week.
    const hours = await asAdmin.call('getAvailability', { params: { id: specialist.user.id } });
    const today = cairoDay(new Date());
    const leaveOffset = [1, 2, 3, 4, 5, 6, 7].find((n) =>
      hours.weekly.some((slot) => slot.weekday === weekday(addDays(today, n))),
    );
    if (leaveOffset === undefined) throw new Error('the demo specialist has no weekly hours');
    const leaveDay = addDays(today, leaveOffset);
    const slot = hours.weekly.find((s) => s.weekday === weekday(leaveDay)) as { start: string };

    // Leave on that day, through the availability screen.
    await page.getByRole('link', { name: 'ساعات العمل والإجازات' }).click();
    await page.getByRole('combobox', { name: 'الطبيب الاستشاري' }).click();
    await page.getByRole('option', { name: new RegExp(specialist.user.name.ar) }).click();
    await page.getByRole('button', { name: 'إضافة إجازة' }).click();
    await page.getByLabel('من يوم').fill(leaveDay);
    await page.getByLabel('حتى يوم').fill(leaveDay);
    await page.getByLabel('السبب (اختياري)').fill('مؤتمر طبي');
    await page.getByRole('button', { name: 'حفظ الساعات والإجازات' }).click();
    await page.getByText('حُفظت الساعات والإجازات.').waitFor({ timeout: 30_000 });

    // The clinic doctor books that specialist on that day, at the start of their hours: refused, in Arabic.
    const asClinic = createRecordsClient({
      baseUrl: platform.urls.records,
      accessToken: () => clinic.accessToken,
      locale: () => 'ar',
    });
    const patients = await asClinic.call('searchPatients', { query: { limit: 1 } });
    const patient = patients.items[0];
    if (!patient) throw new Error('the demo clinic has no patients');
    const start = cairoTime(leaveDay, slot.start);
    const booking = asClinic.call('bookAppointment', {
      body: {
        clinicId: clinic.user.organizationId,
        patientId: patient.id,
        specialty: (specialist.user.specialty ?? 'cardiology') as Specialty,
        specialistId: specialist.user.id,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60_000).toISOString(),
        reason: 'متابعة',
      },
    });
    const refusal = await booking.then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(RecordsApiError);
    expect((refusal as RecordsApiError).code).toBe('CONFLICT');
    expect((refusal as RecordsApiError).message).toContain('مؤتمر طبي');

    // And in the clinic app the slot picker does not offer that day at all (its own host name, so that the two
    // sessions' refresh cookies stay apart).
    const clinicPage = await chromium.signedIn({
      app: platform.urls.clinicApp.replace('localhost', '127.0.0.1'),
      path: `/patients/${patient.id}/book`,
      locale: 'ar',
      username: clinic.user.username,
    });
    const bookingForm = clinicPage.getByRole('region', { name: 'حجز استشارة' });
    await bookingForm.waitFor({ timeout: 30_000 });
    expect(specialist.user.specialty).toBe('cardiology');
    await bookingForm.getByText('بطبيب استشاري محدد').click();
    await bookingForm.getByLabel('التخصص', { exact: true }).click();
    await clinicPage.getByRole('option', { name: 'أمراض القلب' }).click();
    await bookingForm.getByLabel('الطبيب الاستشاري', { exact: true }).click();
    await clinicPage.getByRole('option', { name: specialist.user.name.ar }).click();
    const days = bookingForm.getByRole('group', { name: 'اليوم' });
    await days.waitFor({ timeout: 30_000 });
    // The picker's days run from today; the leave day is `leaveOffset` days on, a working day but for the leave.
    await expect.poll(() => days.getByRole('button').nth(leaveOffset).isDisabled()).toBe(true);
    await clinicPage.close();

    // The calendar shows the leave in the specialist's row on that day.
    await page.getByRole('link', { name: 'جدول الاستشاريين' }).click();
    const calendar = page.getByRole('region', { name: 'جدول الاستشاريين الأسبوعي' });
    await calendar.waitFor({ timeout: 30_000 });
    const sunday = addDays(today, -weekday(today));
    if (leaveDay >= addDays(sunday, 7))
      await calendar.getByRole('button', { name: 'الأسبوع التالي' }).click();
    const row = calendar.getByRole('row').filter({ hasText: specialist.user.name.ar });
    const cell = row.locator(`td[data-day="${leaveDay}"]`);
    await expect.poll(() => cell.textContent(), { timeout: 30_000 }).toContain('إجازة: مؤتمر طبي');
    expect(await cell.getAttribute('data-leave')).toBe('true');
    await page.close();
  });

  it('sends a clinic doctor who signs in here to the clinic app, by a link', async () => {
    const page = await signedInArabic(clinic.user.username, '/', '[role=alert] a');
    const link = page.locator('[role=alert] a');
    expect(await link.getAttribute('href')).toBe(`${suite.platform.urls.clinicApp}/login`);
    expect(await link.textContent()).toBe('افتح تطبيق الوحدة الصحية');
    await page.close();
  });
});
