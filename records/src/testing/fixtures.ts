import type { Types } from 'mongoose';
import { hashPassword } from '../auth/passwords.js';
import type { Models } from '../models/registerModels.js';
import { searchTermsOf } from '../patients/searchTerms.js';
import type { RecordsTestServer } from './recordsTestServer.js';

export const fixturePassword = 'correct horse battery';

/** The username of every account createFixtures() makes, for a suite that signs them all in. */
export const fixtureUsernames = [
  'admin',
  'auditor',
  'doctor.a',
  'doctor.b',
  'cardio',
  'cardio2',
  'derma',
] as const;

/**
 * A hospital with two specialties, two clinics, one account of each role (plus a second clinic's doctor
 * and a second cardiologist), and one patient per clinic. Passwords are all `fixturePassword`.
 */
export async function createFixtures(models: Models) {
  const passwordHash = await hashPassword(fixturePassword);
  const hospital = await models.Organization.create({
    kind: 'hospital',
    name: { ar: 'مستشفى جامعة أسيوط', en: 'Assiut University Hospital' },
    governorate: 'Assiut',
    district: 'Assiut',
    specialties: ['cardiology', 'dermatology'],
  });
  const clinicA = await models.Organization.create({
    kind: 'clinic',
    name: { ar: 'وحدة صحة أبنوب', en: 'Abnoub Health Unit' },
    governorate: 'Assiut',
    district: 'Abnoub',
  });
  const clinicB = await models.Organization.create({
    kind: 'clinic',
    name: { ar: 'وحدة صحة ديروط', en: 'Dayrout Health Unit' },
    governorate: 'Assiut',
    district: 'Dayrout',
  });
  type Role = 'clinic_doctor' | 'specialist' | 'administrator' | 'auditor';
  const user = (username: string, role: Role, organizationId: Types.ObjectId, specialty?: string) =>
    models.User.create({
      username,
      passwordHash,
      role,
      organizationId,
      specialty,
      name: { ar: `د. ${username}`, latin: `Dr ${username}` },
    });
  const admin = await user('admin', 'administrator', hospital._id);
  const auditor = await user('auditor', 'auditor', hospital._id);
  const doctorA = await user('doctor.a', 'clinic_doctor', clinicA._id);
  const doctorB = await user('doctor.b', 'clinic_doctor', clinicB._id);
  const cardiologist = await user('cardio', 'specialist', hospital._id, 'cardiology');
  const cardiologist2 = await user('cardio2', 'specialist', hospital._id, 'cardiology');
  const dermatologist = await user('derma', 'specialist', hospital._id, 'dermatology');
  // Every day 08:00–20:00 Cairo time: tests book "tomorrow" without caring about the weekday.
  const everyDay = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));
  for (const specialist of [cardiologist, cardiologist2, dermatologist]) {
    await models.Availability.create({ specialistId: specialist._id, weekly: everyDay });
  }
  const patientA = await models.Patient.create({
    clinicId: clinicA._id,
    mrn: 'A-1001',
    name: { ar: 'فاطمة أحمد علي', latin: 'Fatma Ahmed Ali' },
    searchTerms: searchTermsOf(['فاطمة أحمد علي', 'Fatma Ahmed Ali']),
    sex: 'female',
    birthDate: '1980-04-12',
    allergies: ['penicillin'],
  });
  const patientB = await models.Patient.create({
    clinicId: clinicB._id,
    mrn: 'B-2001',
    name: { ar: 'محمود حسن', latin: 'Mahmoud Hassan' },
    searchTerms: searchTermsOf(['محمود حسن', 'Mahmoud Hassan']),
    sex: 'male',
    birthDate: '1975-01-30',
  });
  return {
    hospital,
    clinicA,
    clinicB,
    admin,
    auditor,
    doctorA,
    doctorB,
    cardiologist,
    cardiologist2,
    dermatologist,
    patientA,
    patientB,
  };
}

export type Fixtures = Awaited<ReturnType<typeof createFixtures>>;

/** Signs in through the real login route and returns the access token. */
export async function signIn(server: RecordsTestServer, username: string): Promise<string> {
  const res = await server.call('POST', '/api/auth/login', { body: { username, password: fixturePassword } });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** Tomorrow at `hour`:`minute` Cairo time (UTC+2, no DST in winter tests), as ISO. */
export function tomorrowAt(hour: number, minute = 0): string {
  const day = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  return new Date(
    `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+02:00`,
  ).toISOString();
}

/**
 * The body of a booking of clinic A's patient with the cardiologist, tomorrow 10:00–10:30 Cairo time,
 * with `overrides` applied.
 */
export function cardiologyBooking(
  f: Fixtures,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    clinicId: f.clinicA.id,
    patientId: f.patientA.id,
    specialty: 'cardiology',
    specialistId: f.cardiologist.id,
    start: tomorrowAt(10),
    end: tomorrowAt(10, 30),
    reason: 'palpitations',
    ...overrides,
  };
}
