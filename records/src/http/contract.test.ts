import { generateKeyPairSync } from 'node:crypto';
import {
  createRecordsClient,
  type RecordsAnswer,
  RecordsApiError,
  type RecordsClient,
  type RecordsRouteName,
  recordsRoutes,
} from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicRoutes } from '../access/roleMatrix.js';
import { createFixtures, type Fixtures, fixturePassword, signIn, tomorrowAt } from '../testing/fixtures.js';
import { listRoutes } from '../testing/listRoutes.js';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { signedClinicDoctorToken } from '../testing/testTokens.js';

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
const everyDay = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));

/**
 * The shared route table (`shared/src/records/recordsApi.ts`) against the real app: the same routes on both
 * sides, and every route called through the typed client, which parses each answer with the table's schema.
 * A field the server renames, drops or changes the type of fails here, not in a browser.
 */
describe('the records API contract, against the real app', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  const as: Partial<Record<'doctor' | 'cardio' | 'admin' | 'auditor' | 'anonymous', RecordsClient>> = {};
  const client = (who: keyof typeof as) => {
    const found = as[who];
    if (!found) throw new Error(`no client for ${who}`);
    return found;
  };
  const clientWith = (token: string | undefined, headers: Record<string, string> = {}) =>
    createRecordsClient({ baseUrl: server.baseUrl, accessToken: () => token, headers: () => headers });

  /** Signs in through the raw route, for the refresh cookie the typed client (like a browser) never reads. */
  async function refreshCookieOf(username: string): Promise<string> {
    const res = await server.call('POST', '/api/auth/login', {
      body: { username, password: fixturePassword },
    });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('sign-in set no refresh cookie');
    return cookie;
  }

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    as.doctor = clientWith(await signIn(server, 'doctor.a'));
    as.cardio = clientWith(await signIn(server, 'cardio'));
    as.admin = clientWith(await signIn(server, 'admin'));
    as.auditor = clientWith(await signIn(server, 'auditor'));
    as.anonymous = clientWith(undefined);
  }, 60_000);
  afterAll(() => server?.stop());

  it('has one table entry for every route the app registers, and no entry for a route it does not', () => {
    const inTable = Object.values(recordsRoutes).map((r) => `${r.method} ${r.path}`);
    expect(new Set(inTable).size).toBe(inTable.length);
    const registered = listRoutes(server.app)
      .filter(({ path }) => !speaksAnotherProtocol(path))
      .map(({ method, path }) => `${method} ${path}`);
    expect([...inTable].sort()).toEqual([...registered].sort());
  });

  it('marks exactly the public routes of the role matrix as needing no access token', () => {
    const open = Object.values(recordsRoutes)
      .filter((r) => !r.authenticated)
      .map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual(
      publicRoutes
        .filter((r) => !speaksAnotherProtocol(r.path))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  it('answers every route, called through the typed client, with what the table says', async () => {
    const answers: Partial<{ [N in RecordsRouteName]: RecordsAnswer<N> }> = {};
    /** Each call's answer has already passed the table's schema, or the client threw CONTRACT_MISMATCH. */
    const record = async <N extends RecordsRouteName>(name: N, answer: Promise<RecordsAnswer<N>>) => {
      try {
        const value = await answer;
        (answers as Record<string, unknown>)[name] = value;
        return value;
      } catch (error) {
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const doctor = client('doctor');
    const cardio = client('cardio');
    const admin = client('admin');

    // Sign-in, refresh and sign-out.
    const session = await record(
      'login',
      client('anonymous').call('login', { body: { username: 'doctor.a', password: fixturePassword } }),
    );
    expect(session.user.username).toBe('doctor.a');
    const cookie = await refreshCookieOf('cardio');
    const refreshed = await record(
      'refreshSession',
      clientWith(undefined, { cookie }).call('refreshSession'),
    );
    expect(refreshed.user.username).toBe('cardio');
    await record('logout', clientWith(undefined, { cookie: await refreshCookieOf('cardio') }).call('logout'));
    const jwks = await record('getJwks', client('anonymous').call('getJwks'));
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect((await record('getMe', doctor.call('getMe'))).role).toBe('clinic_doctor');

    // Organizations and accounts.
    const clinics = await record(
      'listOrganizations',
      doctor.call('listOrganizations', { query: { kind: 'clinic', q: 'أبنوب', active: true, limit: 5 } }),
    );
    expect(clinics.items.map((o) => o.id)).toEqual([f.clinicA.id]);
    await record('getOrganization', doctor.call('getOrganization', { params: { id: f.clinicA.id } }));
    const organization = await record(
      'createOrganization',
      admin.call('createOrganization', {
        body: {
          kind: 'clinic',
          name: { ar: 'عيادة العقد', en: 'Contract Clinic' },
          governorate: 'Assiut',
          district: 'X',
        },
      }),
    );
    await record(
      'updateOrganization',
      admin.call('updateOrganization', { params: { id: organization.id }, body: { district: 'Y' } }),
    );
    await record('listUsers', admin.call('listUsers', { query: { role: 'specialist' } }));
    const account = await record(
      'createUser',
      admin.call('createUser', {
        body: {
          username: 'contract.user',
          name: { ar: 'مستخدم', latin: 'Contract User' },
          role: 'clinic_doctor',
          organizationId: organization.id,
          password: fixturePassword,
        },
      }),
    );
    await record(
      'updateUser',
      admin.call('updateUser', { params: { id: account.id }, body: { phone: '01012345678' } }),
    );
    const own = clientWith(await signIn(server, 'contract.user'));
    await record(
      'changePassword',
      own.call('changePassword', {
        body: { currentPassword: fixturePassword, newPassword: 'a new long passphrase' },
      }),
    );
    await record('listSpecialists', doctor.call('listSpecialists', { query: { specialty: 'cardiology' } }));
    await record('getAvailability', doctor.call('getAvailability', { params: { id: f.cardiologist.id } }));
    await record(
      'setAvailability',
      admin.call('setAvailability', {
        params: { id: f.cardiologist.id },
        body: { weekly: everyDay, exceptions: [{ from: '2030-01-01', to: '2030-01-02', reason: 'leave' }] },
      }),
    );

    // Patients: a clinic doctor reads the whole record, an administrator the demographics only.
    const found = await record(
      'searchPatients',
      doctor.call('searchPatients', { query: { q: 'Fatma', limit: 5 } }),
    );
    expect(found.items.map((p) => p.mrn)).toEqual(['A-1001']);
    const patient = await record(
      'registerPatient',
      doctor.call('registerPatient', {
        body: {
          mrn: 'C-1',
          nationalId: '29001011234567',
          name: { ar: 'مريضة العقد', latin: 'Contract Patient' },
          sex: 'female',
          birthDate: '1990-01-01',
          phone: '01012345678',
          allergies: ['penicillin'],
          currentMedications: [{ name: 'metformin', dose: '500 mg' }],
        },
      }),
    );
    const full = await record('getPatient', doctor.call('getPatient', { params: { id: patient.id } }));
    expect(full.allergies).toEqual(['penicillin']);
    const demographics = await admin.call('getPatient', { params: { id: patient.id } });
    expect(demographics.allergies).toBeUndefined();
    await record(
      'updatePatient',
      doctor.call('updatePatient', { params: { id: patient.id }, body: { chronicConditions: ['diabetes'] } }),
    );

    // Appointments and urgent requests.
    const appointment = await record(
      'bookAppointment',
      doctor.call('bookAppointment', {
        body: {
          clinicId: f.clinicA.id,
          patientId: f.patientA.id,
          specialty: 'cardiology',
          specialistId: f.cardiologist.id,
          start: tomorrowAt(11),
          end: tomorrowAt(11, 30),
          reason: 'palpitations',
        },
      }),
    );
    const listed = await record(
      'listAppointments',
      doctor.call('listAppointments', { query: { from: new Date().toISOString(), limit: 20 } }),
    );
    expect(listed.items.find((a) => a.id === appointment.id)?.patient?.mrn).toBe('A-1001');
    const busy = await record(
      'getSpecialistBusy',
      doctor.call('getSpecialistBusy', {
        params: { id: f.cardiologist.id },
        query: { from: tomorrowAt(0), to: tomorrowAt(23) },
      }),
    );
    expect(busy.items).toContainEqual({ start: appointment.start, end: appointment.end });
    const readByCardio = await record(
      'getAppointment',
      cardio.call('getAppointment', { params: { id: appointment.id } }),
    );
    expect(readByCardio.callRole).toBe('booked-specialist');
    await record(
      'changeAppointmentStatus',
      doctor.call('changeAppointmentStatus', { params: { id: appointment.id }, body: { status: 'waiting' } }),
    );
    const invited = await record(
      'inviteToCall',
      cardio.call('inviteToCall', {
        params: { id: appointment.id },
        body: { specialistId: f.dermatologist.id },
      }),
    );
    expect(invited.invitations?.map((i) => i.specialistId)).toEqual([f.dermatologist.id]);
    const withdrawn = await record(
      'withdrawCallInvitation',
      cardio.call('withdrawCallInvitation', {
        params: { id: appointment.id, specialistId: f.dermatologist.id },
      }),
    );
    expect(withdrawn.invitations).toEqual([]);
    await record(
      'recordCallEvent',
      doctor.call('recordCallEvent', { params: { id: appointment.id }, body: { kind: 'joined' } }),
    );
    await record(
      'reportSignalingRefusal',
      doctor.call('reportSignalingRefusal', {
        body: { event: 'room:admit', code: 'FORBIDDEN', appointmentId: appointment.id },
      }),
    );
    await record(
      'requestUrgent',
      doctor.call('requestUrgent', {
        body: { patientId: f.patientA.id, specialty: 'cardiology', reason: 'chest pain' },
      }),
    );
    const queue = await record('listUrgentRequests', cardio.call('listUrgentRequests'));
    const urgent = queue.items[0];
    if (!urgent) throw new Error('the urgent request is not in the queue');
    await record('pickUrgentRequest', cardio.call('pickUrgentRequest', { params: { id: urgent.id } }));

    // A consultation through its whole life: opened, written, vitals, chat, a file, signed, amended, read.
    const opened = await record(
      'openConsultation',
      cardio.call('openConsultation', { params: { appointmentId: appointment.id } }),
    );
    const id = opened.id;
    const edited = await record(
      'editConsultation',
      cardio.call('editConsultation', {
        params: { id },
        body: {
          version: opened.version,
          changes: {
            findings: 'sinus rhythm',
            diagnoses: [{ code: 'I10', text: 'Essential hypertension' }],
            referral: { reason: 'echo', urgency: 'routine' },
            followUpDate: '2030-01-01',
          },
        },
      }),
    );
    await record(
      'recordVitalSign',
      doctor.call('recordVitalSign', {
        params: { id },
        body: {
          kind: 'blood-pressure',
          systolic: 130,
          diastolic: 85,
          unit: 'mmHg',
          takenAt: new Date().toISOString(),
        },
      }),
    );
    await doctor.call('recordVitalSign', {
      params: { id },
      body: { kind: 'spo2', value: 97, unit: '%', takenAt: new Date().toISOString() },
    });
    await record(
      'postChatMessage',
      cardio.call('postChatMessage', { params: { id }, body: { text: 'hello' } }),
    );
    const attachment = await record(
      'uploadAttachment',
      doctor.call('uploadAttachment', {
        params: { id },
        upload: { contentType: 'image/png', bytes: png, fileName: 'ecg strip.png' },
      }),
    );
    const download = await record(
      'downloadAttachment',
      cardio.call('downloadAttachment', { params: { id, attachmentId: attachment.id } }),
    );
    expect(download.contentType).toBe('image/png');
    expect(download.fileName).toBe('ecg strip.png');
    expect(Buffer.from(download.bytes).equals(png)).toBe(true);
    const current = await cardio.call('getConsultation', { params: { id } });
    expect(current.version).toBeGreaterThan(edited.version);
    const signed = await record(
      'signConsultation',
      cardio.call('signConsultation', { params: { id }, body: { version: current.version } }),
    );
    await record(
      'amendConsultation',
      cardio.call('amendConsultation', {
        params: { id },
        body: { version: signed.version, reason: 'a typo', changes: { findings: 'sinus rhythm, no ectopy' } },
      }),
    );
    const read = await record('getConsultation', doctor.call('getConsultation', { params: { id } }));
    expect(read.vitalSigns.map((v) => v.kind)).toEqual(['blood-pressure', 'spo2']);
    expect(read.chat).toHaveLength(1);
    expect(read.attachments).toHaveLength(1);
    expect(read.amendments).toHaveLength(1);
    const mine = await record('listMyNotes', cardio.call('listMyNotes', { query: { status: 'amended' } }));
    expect(mine.items.map((n) => n.id)).toContain(id);
    await record(
      'listPatientConsultations',
      doctor.call('listPatientConsultations', { params: { patientId: f.patientA.id } }),
    );

    // Reference data, the audit trail and reports (JSON, and CSV as text).
    const icd = await record('searchIcd10', doctor.call('searchIcd10', { query: { q: 'hypertension' } }));
    expect(icd.items.length).toBeGreaterThan(0);
    const trail = await record(
      'listAuditEvents',
      client('auditor').call('listAuditEvents', { query: { limit: 100 } }),
    );
    expect(trail.items.length).toBeGreaterThan(0);
    const [firstEvent] = trail.items;
    const one = await record(
      'getAuditEvent',
      client('auditor').call('getAuditEvent', { params: { id: firstEvent?.id ?? '' } }),
    );
    expect(one).toEqual(firstEvent);
    const trailCsv = await record(
      'exportAuditEvents',
      client('auditor').call('exportAuditEvents', { query: { action: 'read' } }),
    );
    expect(new TextDecoder().decode(trailCsv.bytes)).toContain('resourceType');
    const people = await record(
      'findAuditPeople',
      client('auditor').call('findAuditPeople', { query: { q: 'doctor' } }),
    );
    expect(people.items.length).toBeGreaterThan(0);
    const patients = await record(
      'findAuditPatients',
      client('auditor').call('findAuditPatients', { query: { q: 'A-1001' } }),
    );
    expect(patients.items.map((p) => p.mrn)).toContain('A-1001');
    // The FHIR push: a failed item, as the worker leaves one after a refusal, listed and then retried.
    await server.models.Consultation.updateOne(
      { _id: id },
      {
        $set: {
          fhirOutbox: [
            {
              version: signed.version,
              state: 'failed',
              attempts: 1,
              queuedAt: new Date(),
              bundle: '{}',
              lastError: 'HTTP 422: refused',
            },
          ],
        },
      },
    );
    const pushItems = await record(
      'listFhirPushItems',
      admin.call('listFhirPushItems', { query: { state: 'failed' } }),
    );
    expect(pushItems.items).toEqual([expect.objectContaining({ consultationId: id, state: 'failed' })]);
    const retried = await record(
      'retryFhirPushItem',
      admin.call('retryFhirPushItem', { params: { consultationId: id, version: signed.version } }),
    );
    expect(retried.state).toBe('pending');
    // System clients (SMART Backend Services): registered, listed, deactivated.
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), alg: 'ES384' as const, kid: 'contract-1' };
    const systemClient = await record(
      'createSystemClient',
      admin.call('createSystemClient', {
        body: { name: 'Hospital EHR', publicKey: jwk as never, scopes: ['system/*.read'] },
      }),
    );
    expect(systemClient.keyIds).toEqual(['contract-1']);
    const systemClients = await record('listSystemClients', admin.call('listSystemClients', {}));
    expect(systemClients.items.map((c) => c.id)).toContain(systemClient.id);
    const deactivated = await record(
      'deactivateSystemClient',
      admin.call('deactivateSystemClient', { params: { id: systemClient.id } }),
    );
    expect(deactivated.active).toBe(false);
    const bulkExports = await record('listBulkExports', admin.call('listBulkExports', {}));
    expect(bulkExports.items).toEqual([]);
    const totals = await record('governorateTotals', admin.call('governorateTotals', {}));
    expect(totals.rows.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const report = await record(
      'consultationReport',
      admin.call('consultationReport', { query: { from: today, to: tomorrowAt(0).slice(0, 10) } }),
    );
    expect(typeof report).toBe('object');
    const csv = await admin.call('consultationReport', { query: { from: today, to: today, format: 'csv' } });
    expect(typeof csv === 'string' && csv.includes('appointments')).toBe(true);

    expect(Object.keys(answers).sort()).toEqual(Object.keys(recordsRoutes).sort());
  }, 120_000);

  it('turns an error answer into a typed error with the code, message, status and details', async () => {
    // What a stale or hostile caller sends: the types would refuse it, so it goes past them on purpose.
    const badSex = { sex: 'other' } as unknown as { sex: 'female' };
    const failure = await client('doctor')
      .call('registerPatient', {
        body: { mrn: 'x', name: { ar: 'a', latin: 'b' }, birthDate: '1990-01-01', ...badSex },
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RecordsApiError);
    const error = failure as RecordsApiError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.details?.map((d) => d.path)).toContain('sex');
    const refused = await client('auditor')
      .call('getPatient', { params: { id: f.patientA.id } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('refreshes once on TOKEN_EXPIRED and retries the call with the new token', async () => {
    const expired = await signedClinicDoctorToken(
      server.signingKey,
      f.doctorA.id,
      f.clinicA.id,
      Math.floor(Date.now() / 1000) - 60,
    );
    let token = expired;
    let refreshes = 0;
    const refreshing = createRecordsClient({
      baseUrl: server.baseUrl,
      accessToken: () => token,
      onTokenExpired: async () => {
        refreshes += 1;
        token = await signIn(server, 'doctor.a');
        return true;
      },
    });
    expect((await refreshing.call('getMe')).username).toBe('doctor.a');
    expect(refreshes).toBe(1);

    // A refresh that fails lets TOKEN_EXPIRED through, after one try.
    let tries = 0;
    const stuck = createRecordsClient({
      baseUrl: server.baseUrl,
      accessToken: () => expired,
      onTokenExpired: async () => {
        tries += 1;
        return false;
      },
    });
    await expect(stuck.call('getMe')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    expect(tries).toBe(1);
  });
});

/**
 * FHIR (`/fhir`, OperationOutcome errors, its CapabilityStatement) and the SMART token endpoint (`/auth/token`,
 * RFC 6749 errors) have contracts of their own, tested beside them: this table is the JSON API's.
 */
function speaksAnotherProtocol(path: string): boolean {
  return path.startsWith('/fhir') || path.startsWith('/auth/');
}
