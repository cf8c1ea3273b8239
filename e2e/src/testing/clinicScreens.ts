import type { RunningPlatform } from '@telemed/launcher';
import { type Specialty, specialtyLabels } from '@telemed/shared';
import type { Page, Screen } from '../screenshots.js';
import { recordsClientAs, scheduledAppointments, signInDemo, writeNote } from './demoSessions.js';

/**
 * The clinic doctor's screens of issue 20: registering a patient (with the national ID's error shown), a
 * patient's history with the vitals trends, booking in free slots, and an urgent request being watched. They use
 * the third demo clinic (clinic.tahta) and dr.nadia, so the note and call screens' appointments stay untouched.
 */
const clinicUser = 'clinic.tahta';
const specialistUser = 'dr.nadia';

/** A seeded patient with a signed consultation holding a week of vital signs: the history's charts. */
async function patientWithHistory(platform: RunningPlatform): Promise<string> {
  const clinic = await signInDemo(platform, clinicUser);
  const specialist = await signInDemo(platform, specialistUser);
  const [appointment] = await scheduledAppointments(platform, clinic, specialist);
  if (!appointment) throw new Error(`no seeded appointment of ${clinicUser} with ${specialistUser}`);
  const asSpecialist = recordsClientAs(platform, specialist);
  const asClinic = recordsClientAs(platform, clinic);
  const opened = await asSpecialist.call('openConsultation', { params: { appointmentId: appointment.id } });
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const readings: [number, number, number, number][] = [
    [6, 152, 96, 88],
    [4, 147, 94, 84],
    [2, 141, 90, 80],
    [0, 136, 86, 76],
  ];
  for (const [daysAgo, systolic, diastolic, pulse] of readings) {
    const takenAt = day(daysAgo);
    await asClinic.call('recordVitalSign', {
      params: { id: opened.id },
      body: { kind: 'blood-pressure', systolic, diastolic, unit: 'mmHg', takenAt },
    });
    await asClinic.call('recordVitalSign', {
      params: { id: opened.id },
      body: { kind: 'heart-rate', value: pulse, unit: '/min', takenAt },
    });
  }
  const current = await asSpecialist.call('getConsultation', { params: { id: opened.id } });
  await writeNote(
    asSpecialist,
    current,
    {
      findings: 'ضغط مرتفع يتحسن مع العلاج، لا أعراض قلبية.',
      diagnoses: [{ code: 'I10', text: 'ارتفاع ضغط الدم الأساسي', kind: 'primary' }],
      plan: 'أملوديبين ٥ مجم مرة يوميًا، قياس الضغط في الوحدة أسبوعيًا.',
    },
    { sign: true },
  );
  return `/patients/${appointment.patientId}`;
}

/** Another seeded patient of the clinic: the one booked for and raised an urgent request for. */
async function otherPatient(platform: RunningPlatform): Promise<string> {
  const clinic = await signInDemo(platform, clinicUser);
  const found = await recordsClientAs(platform, clinic).call('searchPatients', { query: { limit: 5 } });
  const patient = found.items.at(-1);
  if (!patient) throw new Error(`${clinicUser} has no patient`);
  return patient.id;
}

let historyPath: Promise<string> | undefined;
let patientId: Promise<string> | undefined;
const history = (platform: RunningPlatform) => (historyPath ??= patientWithHistory(platform));
const other = (platform: RunningPlatform) => (patientId ??= otherPatient(platform));

const localeOf = async (page: Page) =>
  ((await page.evaluate(() => localStorage.getItem('telemed.locale'))) ?? 'ar') as 'ar' | 'en';

/** Opens a searchable specialty select in `section` and picks `specialty` in the page's language. */
async function chooseSpecialty(page: Page, section: string, specialty: Specialty): Promise<void> {
  const locale = await localeOf(page);
  const chooser = locale === 'ar' ? 'اختر التخصص' : 'Choose a specialty';
  await page.locator(section).getByPlaceholder(chooser).click();
  await page.getByRole('option', { name: specialtyLabels[specialty][locale], exact: true }).click();
}

/** The clinic's screens: the form with an error, the history with its charts, booking, the urgent watch. */
export const clinicScreens: Screen[] = [
  {
    name: 'clinic-patient-register-error',
    app: 'clinicApp',
    username: clinicUser,
    ready: '#patient-form-heading',
    prepare: async () => '/patients/new',
    arrange: async (page) => {
      await page.fill('input[name="name.ar"]', 'منى عبد الرحيم');
      await page.fill('input[name="name.latin"]', 'Mona Abdelrahim');
      await page.fill('input[name="mrn"]', 'THT-120');
      // Born on the 13th month: the national ID's birth-date rule refuses it.
      await page.fill('input[name="nationalId"]', '28513120100248');
      await page.click('button[type=submit]');
      await page.waitForSelector('[id$="-error"]');
    },
  },
  {
    name: 'clinic-patient-history',
    app: 'clinicApp',
    username: clinicUser,
    ready: '#vitals-trends-heading',
    prepare: history,
    arrange: async (page) => {
      await page.waitForSelector('#vitals-trends-heading ~ * .recharts-line');
    },
  },
  {
    name: 'clinic-booking',
    app: 'clinicApp',
    username: clinicUser,
    ready: '#booking-heading',
    prepare: async (platform) => `/patients/${await other(platform)}/book`,
    arrange: async (page) => {
      await chooseSpecialty(page, 'section[aria-labelledby="booking-heading"]', 'cardiology');
      // The days appear once the specialists' hours are read; the picker then shows the first day with free times.
      const slots = page.locator('[aria-labelledby="booking-slots"] button');
      await slots.first().waitFor();
      // The second time when there is one, so the screen shows a chosen time among others.
      await slots.nth((await slots.count()) > 1 ? 1 : 0).click();
    },
  },
  {
    name: 'clinic-urgent-watch',
    app: 'clinicApp',
    username: clinicUser,
    ready: '#urgent-request-heading',
    prepare: async (platform) => `/patients/${await other(platform)}/urgent`,
    arrange: async (page) => {
      await chooseSpecialty(page, 'section[aria-labelledby="urgent-request-heading"]', 'pediatrics');
      const locale = await localeOf(page);
      await page
        .locator('section[aria-labelledby="urgent-request-heading"] textarea')
        .fill('طفل عمره ٣ سنوات، حرارة ٣٩٫٥ وتشنج منذ ساعة.');
      await page
        .getByRole('button', { name: locale === 'ar' ? 'إرسال الطلب العاجل' : 'Send the urgent request' })
        .click();
      await page.waitForSelector('section[aria-labelledby="urgent-request-heading"] textarea', {
        state: 'detached',
      });
    },
  },
];
