import { randomBytes } from 'node:crypto';
import {
  createRecordsClient,
  type DemoAccount,
  type RecordsClient,
  type SessionResponse,
  type Specialty,
} from '@telemed/shared';

/** One consultation of the bench: its appointment and the two signed-in people who meet in it. */
export interface BenchRoom {
  appointmentId: string;
  clinic: SessionResponse;
  specialist: SessionResponse;
}

/** Every hour of every day, so that a booking made now passes records' availability check whatever the time. */
const allWeek = Array.from({ length: 7 }, (_, weekday) => ({ weekday, start: '00:00', end: '23:59' }));

/**
 * Creates the bench's data through the records API as the seeded administrator: a clinic doctor and a
 * specialist of their own for each room (records refuses a specialist two appointments at the same time), the
 * specialist available all week, and an appointment from now on. Each user signs in once (and, as records asks
 * of an account an administrator created, sets their own password, which answers with their session).
 */
export async function createBenchRooms(
  recordsUrl: string,
  demoAccounts: DemoAccount[],
  rooms: number,
  concurrency: number,
): Promise<BenchRoom[]> {
  const admin = demoAccounts.find((a) => a.role === 'administrator');
  if (!admin) throw new Error('the seed made no administrator account (is DATA_DIR a fresh directory?)');
  const anonymous = createRecordsClient({ baseUrl: recordsUrl });
  const adminSession = await anonymous.call('login', {
    body: { username: admin.username, password: admin.password },
  });
  const asAdmin = clientAs(recordsUrl, adminSession);
  const clinicOrg = (await asAdmin.call('listOrganizations', { query: { kind: 'clinic', limit: 1 } }))
    .items[0];
  const hospital = (await asAdmin.call('listOrganizations', { query: { kind: 'hospital', limit: 1 } }))
    .items[0];
  if (!clinicOrg || !hospital) throw new Error('the seed made no clinic or no hospital');
  const specialty = hospital.specialties[0];
  if (!specialty) throw new Error(`the seeded hospital ${hospital.id} offers no specialty`);
  const patient = (
    await asAdmin.call('searchPatients', { query: { clinicId: clinicOrg.id, page: 1, limit: 1 } })
  ).items[0];
  if (!patient) throw new Error(`the seeded clinic ${clinicOrg.id} has no patient`);

  const run = randomBytes(3).toString('hex');
  const start = new Date(Date.now() + 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  const makeRoom = async (index: number): Promise<BenchRoom> => {
    const clinic = await createAndSignIn(recordsUrl, asAdmin, {
      username: `bench-${run}-clinic-${index}`,
      role: 'clinic_doctor',
      organizationId: clinicOrg.id,
    });
    const specialist = await createAndSignIn(recordsUrl, asAdmin, {
      username: `bench-${run}-specialist-${index}`,
      role: 'specialist',
      organizationId: hospital.id,
      specialty,
    });
    await asAdmin.call('setAvailability', {
      params: { id: specialist.user.id },
      body: { timeZone: 'UTC', weekly: allWeek, exceptions: [] },
    });
    const appointment = await asAdmin.call('bookAppointment', {
      body: {
        clinicId: clinicOrg.id,
        patientId: patient.id,
        specialty,
        specialistId: specialist.user.id,
        start: start.toISOString(),
        end: end.toISOString(),
        reason: 'Signaling load bench',
        priority: 'routine',
      },
    });
    return { appointmentId: appointment.id, clinic, specialist };
  };
  const made: BenchRoom[] = [];
  for (let first = 0; first < rooms; first += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, rooms - first) }, (_, i) => makeRoom(first + i));
    made.push(...(await Promise.all(batch)));
  }
  return made;
}

function clientAs(recordsUrl: string, session: SessionResponse): RecordsClient {
  return createRecordsClient({ baseUrl: recordsUrl, accessToken: () => session.accessToken });
}

async function createAndSignIn(
  recordsUrl: string,
  asAdmin: RecordsClient,
  account: {
    username: string;
    role: 'clinic_doctor' | 'specialist';
    organizationId: string;
    specialty?: Specialty;
  },
): Promise<SessionResponse> {
  const password = randomBytes(12).toString('hex');
  await asAdmin.call('createUser', {
    body: {
      ...account,
      name: { ar: 'طبيب اختبار', latin: account.username },
      password,
      active: true,
    },
  });
  const session = await createRecordsClient({ baseUrl: recordsUrl }).call('login', {
    body: { username: account.username, password },
  });
  if (!session.user.mustChangePassword) return session;
  return clientAs(recordsUrl, session).call('changePassword', {
    body: { currentPassword: password, newPassword: `${password}-own` },
  });
}
