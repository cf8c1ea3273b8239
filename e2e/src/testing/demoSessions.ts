import type { RunningPlatform } from '@telemed/launcher';
import {
  type Appointment,
  type Consultation,
  type ConsultationContent,
  createRecordsClient,
  type RecordsClient,
  type SessionResponse,
} from '@telemed/shared';

/** Signs in one of the demo accounts `npm start` seeded, through the records API. */
export async function signInDemo(
  platform: RunningPlatform,
  username: string | undefined,
): Promise<SessionResponse> {
  const account = platform.demoAccounts.find((a) => a.username === username);
  if (!account) throw new Error(`no demo account ${username}`);
  return createRecordsClient({ baseUrl: platform.urls.records }).call('login', {
    body: { username: account.username, password: account.password },
  });
}

/** The typed records client, acting as `session`'s user. */
export function recordsClientAs(platform: RunningPlatform, session: SessionResponse): RecordsClient {
  return createRecordsClient({ baseUrl: platform.urls.records, accessToken: () => session.accessToken });
}

/** Signs in the demo account of `role` at `index` among that role's (the first by default). */
export function signInDemoRole(platform: RunningPlatform, role: string, index = 0): Promise<SessionResponse> {
  return signInDemo(platform, platform.demoAccounts.filter((a) => a.role === role)[index]?.username);
}

/** The seeded appointments still `scheduled` between `clinic`'s clinic and `specialist`, for tests to take. */
export async function scheduledAppointments(
  platform: RunningPlatform,
  clinic: SessionResponse,
  specialist: SessionResponse,
): Promise<Appointment[]> {
  const page = await recordsClientAs(platform, clinic).call('listAppointments', {
    query: { specialistId: specialist.user.id, status: 'scheduled', limit: 20 },
  });
  return page.items;
}

/**
 * Books `specialist` for one of `clinic`'s patients in the first half hour from tomorrow on that records accepts
 * (inside the hours, not taken): the seeded week holds one appointment per working day, fewer than a run of many
 * calls takes.
 */
export async function bookNextFreeAppointment(
  platform: RunningPlatform,
  clinic: SessionResponse,
  specialist: SessionResponse,
): Promise<Appointment> {
  const records = recordsClientAs(platform, clinic);
  const [patient] = (await records.call('searchPatients', { query: { limit: 1 } })).items;
  if (!patient) throw new Error(`${clinic.user.username} has no patient to book`);
  const specialty = specialist.user.specialty;
  if (!specialty) throw new Error(`${specialist.user.username} has no specialty`);
  const halfHour = 30 * 60_000;
  const tomorrow = new Date();
  tomorrow.setUTCHours(24, 0, 0, 0);
  for (let day = 0; day < 14; day++) {
    // 06:00-14:00 UTC: the demo hours, in Cairo's morning and early afternoon.
    for (let slot = 12; slot < 28; slot++) {
      const start = new Date(tomorrow.getTime() + day * 86_400_000 + slot * halfHour);
      try {
        return await records.call('bookAppointment', {
          body: {
            clinicId: clinic.user.organizationId,
            patientId: patient.id,
            specialty: specialty as Appointment['specialty'],
            specialistId: specialist.user.id,
            start: start.toISOString(),
            end: new Date(start.getTime() + halfHour).toISOString(),
            reason: 'booked for a measured call',
          },
        });
      } catch (error) {
        if ((error as { code?: string }).code !== 'CONFLICT') throw error;
      }
    }
  }
  throw new Error(`${specialist.user.username} has no free half hour in the next two weeks`);
}

/**
 * Writes `changes` into a consultation's note as its specialist (`records`), at the version last read, and
 * signs it when `sign`; answers the consultation as records holds it after.
 */
export async function writeNote(
  records: RecordsClient,
  consultation: Pick<Consultation, 'id' | 'version'>,
  changes: Partial<ConsultationContent>,
  { sign }: { sign: boolean },
): Promise<Consultation> {
  const written = await records.call('editConsultation', {
    params: { id: consultation.id },
    body: { version: consultation.version, changes },
  });
  if (!sign) return written;
  return records.call('signConsultation', {
    params: { id: consultation.id },
    body: { version: written.version },
  });
}
