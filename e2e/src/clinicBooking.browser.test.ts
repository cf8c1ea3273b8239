import type { SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserForSuite } from './testing/browserForSuite.js';
import { recordsClientAs, signInDemo } from './testing/demoSessions.js';
import { platformForSuite } from './testing/platformForSuite.js';

/**
 * Issue 20, the clinic doctor's main job in Chromium against the platform as `npm start` runs it, in Arabic:
 * register a patient through the form, book a consultation with a named cardiologist in a free slot the
 * picker offers, and find the booked appointment in the clinic's list. A slot ANOTHER clinic booked (through the
 * API) is not offered: records lists a clinic only its own appointments, so the picker reads the specialist's
 * busy times.
 */

/** The calendar date (`YYYY-MM-DD`) in `zone`, `days` days from now. */
function dateIn(zone: string, days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(Date.now() + days * 86_400_000);
}

/** The instant a wall clock in `zone` reads `clock` (`HH:mm`) on `date`. */
function zonedInstant(date: string, clock: string, zone: string): Date {
  const guess = new Date(`${date}T${clock}:00Z`);
  const wall = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(guess);
  const shown = new Date(`${wall.replace(' ', 'T')}Z`);
  return new Date(guess.getTime() - (shown.getTime() - guess.getTime()));
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
describe('the clinic registers a patient and books a slot, in Arabic', () => {
  const suite = platformForSuite('clinic');
  const chromium = browserForSuite(suite);
  let clinic: SessionResponse;

  beforeAll(async () => {
    clinic = await suite.signIn('clinic_doctor');
  });

  it('registers, books a free slot with a named specialist, and lists the appointment', async () => {
    const { platform } = suite;
    // Another clinic books the cardiologist's first half hour on a working day past the seeded week.
    const otherAccount = platform.demoAccounts.filter((a) => a.role === 'clinic_doctor')[1];
    const other = await signInDemo(platform, otherAccount?.username);
    const otherApi = recordsClientAs(platform, other);
    const cardiologists = await otherApi.call('listSpecialists', { query: { specialty: 'cardiology' } });
    const samir = cardiologists.items.find((s) => s.name.ar === 'أ.د. سمير حنا');
    if (!samir) throw new Error('no demo cardiologist');
    const hours = await otherApi.call('getAvailability', { params: { id: samir.id } });
    const weekdayOf = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();
    let offset = 8;
    while (offset < 14 && !hours.weekly.some((w) => w.weekday === weekdayOf(dateIn(hours.timeZone, offset))))
      offset += 1;
    const otherDay = dateIn(hours.timeZone, offset);
    const windows = hours.weekly.filter((w) => w.weekday === weekdayOf(otherDay));
    const [firstWindow] = windows;
    if (offset >= 14 || !firstWindow) throw new Error('the demo cardiologist has no working day to book');
    const takenStart = zonedInstant(otherDay, firstWindow.start, hours.timeZone);
    const [otherPatient] = (await otherApi.call('searchPatients', { query: { limit: 1 } })).items;
    if (!otherPatient) throw new Error('the other demo clinic has no patient');
    await otherApi.call('bookAppointment', {
      body: {
        clinicId: other.user.organizationId,
        patientId: otherPatient.id,
        specialty: 'cardiology',
        specialistId: samir.id,
        start: takenStart.toISOString(),
        end: new Date(takenStart.getTime() + 30 * 60_000).toISOString(),
        reason: 'booked by another clinic',
      },
    });
    const halfHoursThatDay = windows.reduce(
      (sum, w) => sum + Math.floor((minutesOf(w.end) - minutesOf(w.start)) / 30),
      0,
    );

    const page = await chromium.signedIn({
      app: platform.urls.clinicApp,
      path: '/patients/new',
      locale: 'ar',
      username: clinic.user.username,
    });

    const form = page.getByRole('form', { name: 'تسجيل مريض جديد' });
    await form.waitFor({ timeout: 30_000 });
    const mrn = `E2E-${Date.now().toString(36)}`;
    await form.getByRole('textbox', { name: 'الاسم بالعربية' }).fill('منى عبد الرحيم');
    await form.getByRole('textbox', { name: 'الاسم بالحروف اللاتينية' }).fill('Mona Abdelrahim');
    await form.getByRole('textbox', { name: 'رقم الملف الطبي' }).fill(mrn);
    // A national ID of a woman born on 1985-04-12 in Cairo (01): the form fills in the birth date from it.
    await form.getByRole('textbox', { name: 'الرقم القومي' }).fill('28504120100248');
    await form.getByRole('textbox', { name: 'الرقم القومي' }).blur();
    // Shown in Arabic words and digits (the form keeps 1985-04-12).
    const birthDate = form.getByLabel('تاريخ الميلاد');
    await expect.poll(() => birthDate.inputValue()).toContain('أبريل');
    expect(await birthDate.inputValue()).toMatch(/^\u200f?١٢\s+أبريل\s+١٩٨٥$/);
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
    // That day offers every half hour of the cardiologist's hours but the one the other clinic took.
    await days.getByRole('button').nth(offset).click();
    const thatDay = booking.getByRole('group', { name: 'الوقت المتاح' });
    await expect.poll(() => thatDay.getByRole('button').count()).toBe(halfHoursThatDay - 1);
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
