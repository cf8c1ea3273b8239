import { exportJWK, generateKeyPair } from 'jose';
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.js';
import { registerSystemClient, systemToken } from '../fhir/testing/systemClientTesting.js';
import {
  cardiologyBooking,
  createFixtures,
  type Fixtures,
  fixturePassword,
  signIn,
  tomorrowAt,
} from '../testing/fixtures.js';
import { listRoutes } from '../testing/listRoutes.js';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { signedClinicDoctorToken, unsignedAdministratorToken } from '../testing/testTokens.js';
import {
  fhirReadRoutes,
  type MatrixRole,
  matrixIdentities,
  matrixRoles,
  publicRoutes,
  roleMatrix,
  systemClientRoutes,
} from './roleMatrix.js';

type Tenant = 'own' | 'other';
interface MatrixRequest {
  path: string;
  body?: unknown;
  rawBody?: Buffer;
  headers?: Record<string, string>;
}
type Builder = (tenant: Tenant) => Promise<MatrixRequest>;

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
const everyDay = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));

describe('the role matrix, cell by cell, against the real app', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  const tokens: Partial<Record<MatrixRole | 'doctor.b', string>> = {};
  const identityTokens: Record<keyof typeof matrixIdentities, string | undefined> = {
    'no token': undefined,
    'malformed token': 'garbage-garbage-garbage',
    'expired token': undefined,
    'alg: none': undefined,
    'deactivated account': undefined,
    'system client token': undefined,
    'role changed': undefined,
  };
  let counter = 0;
  const next = () => {
    counter += 1;
    return counter;
  };
  /** Each call comes from its own address, so its refusal's audit event is found by address. */
  const nextIp = () => {
    const n = next();
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };

  const world = (tenant: Tenant) =>
    tenant === 'own'
      ? { clinic: f.clinicA, patient: f.patientA, specialist: f.cardiologist }
      : { clinic: f.clinicB, patient: f.patientB, specialist: f.cardiologist2 };

  async function freshAppointment(tenant: Tenant, extra: Record<string, unknown> = {}) {
    const { clinic, patient, specialist } = world(tenant);
    const start = new Date(Date.now() + 3 * 24 * 3600_000 + next() * 60_000);
    return server.models.Appointment.create({
      kind: 'scheduled',
      clinicId: clinic._id,
      patientId: patient._id,
      specialty: 'cardiology',
      specialistId: specialist._id,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      reason: 'role matrix',
      status: 'scheduled',
      createdBy: f.admin._id,
      ...extra,
    });
  }

  async function freshConsultation(tenant: Tenant, status: 'draft' | 'signed' = 'draft') {
    const appointment = await freshAppointment(tenant);
    const consultation = await server.models.Consultation.create({
      appointmentId: appointment._id,
      patientId: appointment.patientId,
      clinicId: appointment.clinicId,
      specialistId: appointment.specialistId as Types.ObjectId,
      status,
      version: status === 'signed' ? 1 : 0,
      content: { reasonForVisit: 'role matrix', findings: 'sinus rhythm' },
    });
    return consultation.id as string;
  }

  async function consultationWithAttachment(tenant: Tenant): Promise<string> {
    const consultationId = await freshConsultation(tenant);
    const uploaded = await server.call('POST', `/api/consultations/${consultationId}/attachments`, {
      token: tenant === 'own' ? tokens.clinic_doctor : tokens['doctor.b'],
      rawBody: png,
      headers: { 'content-type': 'image/png' },
    });
    expect(uploaded.status).toBe(201);
    return `/api/consultations/${consultationId}/attachments/${uploaded.body.id}`;
  }

  /** Twenty-minute slots from 08:00 tomorrow, one per booking call: no two bookings clash. */
  let slots = 0;
  const booking = (tenant: Tenant) => {
    const hour = 8 + Math.floor(slots / 3);
    const minute = (slots % 3) * 20;
    slots += 1;
    const times = { start: tomorrowAt(hour, minute), end: tomorrowAt(hour, minute + 15) };
    return tenant === 'own'
      ? cardiologyBooking(f, times)
      : cardiologyBooking(f, {
          ...times,
          clinicId: f.clinicB.id,
          patientId: f.patientB.id,
          specialistId: f.cardiologist2.id,
        });
  };

  /** How to call each route for a tenant: fresh records where the call changes them. */
  const builders: Record<string, Builder> = {
    'GET /api/auth/me': async () => ({ path: '/api/auth/me' }),
    'GET /api/system-clients': async () => ({ path: '/api/system-clients' }),
    'POST /api/system-clients': async () => {
      const { publicKey } = await generateKeyPair('ES384', { extractable: true });
      return {
        path: '/api/system-clients',
        body: { name: `EHR ${next()}`, publicKey: await exportJWK(publicKey), scopes: ['system/*.read'] },
      };
    },
    'POST /api/system-clients/:id/deactivate': async () => {
      const client = await server.models.SystemClient.create({
        name: `EHR ${next()}`,
        publicKey: { kty: 'EC' },
        scopes: ['system/*.read'],
        createdBy: f.admin._id,
      });
      return { path: `/api/system-clients/${client.id}/deactivate` };
    },
    'POST /api/auth/password': async () => ({
      path: '/api/auth/password',
      body: { currentPassword: 'not the password', newPassword: 'a new long passphrase' },
    }),
    'GET /api/organizations': async () => ({ path: '/api/organizations' }),
    'GET /api/organizations/:id': async (t) => ({ path: `/api/organizations/${world(t).clinic.id}` }),
    'POST /api/organizations': async () => {
      const n = next();
      return {
        path: '/api/organizations',
        body: {
          kind: 'clinic',
          name: { ar: `عيادة ${n}`, en: `Clinic ${n}` },
          governorate: 'Assiut',
          district: 'X',
        },
      };
    },
    'PATCH /api/organizations/:id': async (t) => ({
      path: `/api/organizations/${world(t).clinic.id}`,
      body: { governorate: 'Assiut' },
    }),
    'GET /api/users': async () => ({ path: '/api/users' }),
    'POST /api/users': async () => ({
      path: '/api/users',
      body: {
        username: `matrix.user${next()}`,
        name: { ar: 'مستخدم', latin: 'Matrix User' },
        role: 'auditor',
        organizationId: f.hospital.id,
        password: 'a long enough password',
      },
    }),
    'PATCH /api/users/:id': async (t) => ({
      path: `/api/users/${t === 'own' ? f.cardiologist2.id : f.doctorB.id}`,
      body: { phone: '01012345678' },
    }),
    'GET /api/specialists': async () => ({ path: '/api/specialists' }),
    'GET /api/specialists/:id/availability': async (t) => ({
      path: `/api/specialists/${world(t).specialist.id}/availability`,
    }),
    'GET /api/specialists/:id/busy': async (t) => ({
      path: `/api/specialists/${world(t).specialist.id}/busy?from=${encodeURIComponent(tomorrowAt(0))}&to=${encodeURIComponent(tomorrowAt(23))}`,
    }),
    'PUT /api/specialists/:id/availability': async (t) => ({
      path: `/api/specialists/${world(t).specialist.id}/availability`,
      body: { weekly: everyDay },
    }),
    'GET /api/patients': async (t) => ({
      path: t === 'own' ? '/api/patients' : `/api/patients?clinicId=${f.clinicB.id}`,
    }),
    'POST /api/patients': async () => ({
      path: '/api/patients',
      body: {
        mrn: `M-${next()}`,
        name: { ar: 'مريض', latin: 'Matrix Patient' },
        sex: 'female',
        birthDate: '1990-01-01',
      },
    }),
    'GET /api/patients/:id': async (t) => ({ path: `/api/patients/${world(t).patient.id}` }),
    'PATCH /api/patients/:id': async (t) => ({
      path: `/api/patients/${world(t).patient.id}`,
      body: { chronicConditions: ['hypertension'] },
    }),
    'POST /api/appointments': async (t) => ({ path: '/api/appointments', body: booking(t) }),
    'GET /api/appointments': async (t) => ({
      path: t === 'own' ? '/api/appointments' : `/api/appointments?clinicId=${f.clinicB.id}`,
    }),
    'GET /api/appointments/:id': async (t) => ({
      path: `/api/appointments/${(await freshAppointment(t)).id}`,
    }),
    'POST /api/appointments/:id/status': async (t) => ({
      path: `/api/appointments/${(await freshAppointment(t)).id}/status`,
      body: { status: 'waiting' },
    }),
    'POST /api/appointments/:id/invitations': async (t) => ({
      path: `/api/appointments/${(await freshAppointment(t)).id}/invitations`,
      body: { specialistId: f.dermatologist.id },
    }),
    'DELETE /api/appointments/:id/invitations/:specialistId': async (t) => {
      const invitation = {
        specialistId: f.dermatologist._id,
        invitedBy: world(t).specialist._id,
        at: new Date(),
      };
      const appointment = await freshAppointment(t, { invitations: [invitation] });
      return { path: `/api/appointments/${appointment.id}/invitations/${f.dermatologist.id}` };
    },
    'POST /api/appointments/:id/call-events': async (t) => ({
      path: `/api/appointments/${(await freshAppointment(t)).id}/call-events`,
      body: { kind: 'joined' },
      headers: { 'x-telemed-via': 'signaling' },
    }),
    'POST /api/urgent-requests': async (t) => ({
      path: '/api/urgent-requests',
      body: { patientId: world(t).patient.id, specialty: 'cardiology', reason: 'chest pain' },
    }),
    'GET /api/urgent-requests': async () => ({ path: '/api/urgent-requests' }),
    'POST /api/urgent-requests/:id/pick': async (t) => {
      const request = await freshAppointment('own', {
        kind: 'on-demand',
        status: 'waiting',
        specialistId: undefined,
        specialty: t === 'own' ? 'cardiology' : 'dermatology',
      });
      return { path: `/api/urgent-requests/${request.id}/pick` };
    },
    'GET /api/appointments/:appointmentId/consultation': async (t) => ({
      path: `/api/appointments/${(await freshAppointment(t)).id}/consultation`,
    }),
    'GET /api/patients/:patientId/consultations': async (t) => ({
      path: `/api/patients/${world(t).patient.id}/consultations`,
    }),
    // Only ever one's own notes: the other tenant asks for signed ones, which still lists only the caller's.
    'GET /api/consultations': async (t) => ({
      path: t === 'own' ? '/api/consultations' : '/api/consultations?status=signed',
    }),
    'GET /api/consultations/:id': async (t) => ({ path: `/api/consultations/${await freshConsultation(t)}` }),
    'PATCH /api/consultations/:id': async (t) => ({
      path: `/api/consultations/${await freshConsultation(t)}`,
      body: { version: 0, changes: { reasonForVisit: 'edited' } },
    }),
    'POST /api/consultations/:id/vital-signs': async (t) => ({
      path: `/api/consultations/${await freshConsultation(t)}/vital-signs`,
      body: { kind: 'spo2', value: 97, unit: '%', takenAt: new Date().toISOString() },
    }),
    'POST /api/consultations/:id/chat': async (t) => ({
      path: `/api/consultations/${await freshConsultation(t)}/chat`,
      body: { text: 'hello' },
    }),
    'POST /api/consultations/:id/attachments': async (t) => ({
      path: `/api/consultations/${await freshConsultation(t)}/attachments`,
      rawBody: png,
      headers: { 'content-type': 'image/png' },
    }),
    'GET /api/consultations/:id/attachments/:attachmentId': async (t) => ({
      path: await consultationWithAttachment(t),
    }),
    'POST /api/consultations/:id/sign': async (t) => ({
      path: `/api/consultations/${await freshConsultation(t)}/sign`,
      body: { version: 0 },
    }),
    'POST /api/consultations/:id/amendments': async (t) => ({
      path: `/api/consultations/${await freshConsultation(t, 'signed')}/amendments`,
      body: { version: 1, reason: 'a typo', changes: { findings: 'sinus rhythm, no ectopy' } },
    }),
    'GET /api/icd10': async () => ({ path: '/api/icd10?q=heart' }),
    'GET /api/audit-events': async () => ({ path: '/api/audit-events' }),
    'GET /api/audit-events/:id': async () => {
      const event = await server.models.AuditEvent.findOne().lean();
      if (!event) throw new Error('the matrix runs after some audited calls; the trail is empty');
      return { path: `/api/audit-events/${String(event._id)}` };
    },
    'GET /api/audit-events.csv': async () => ({ path: '/api/audit-events.csv?outcome=denied' }),
    'GET /api/audit/people': async () => ({ path: '/api/audit/people?q=doctor' }),
    'GET /api/audit/patients': async () => ({ path: '/api/audit/patients?q=fatma' }),
    'POST /api/signaling-refusals': async (t) => ({
      path: '/api/signaling-refusals',
      body: { event: 'room:admit', code: 'FORBIDDEN', appointmentId: (await freshAppointment(t)).id },
      headers: { 'x-telemed-via': 'signaling' },
    }),
    'GET /api/reports/consultations': async () => {
      const today = new Date().toISOString().slice(0, 10);
      return { path: `/api/reports/consultations?from=${today}&to=${today}` };
    },
    'GET /api/reports/governorates': async () => ({ path: '/api/reports/governorates' }),
    'GET /api/fhir-push': async () => ({ path: '/api/fhir-push?state=failed' }),
    'POST /api/fhir-push/:consultationId/:version/retry': async (t) => {
      // A consultation whose push failed (the server refused its bundle), to be retried.
      const consultationId = await freshConsultation(t, 'signed');
      await server.models.Consultation.updateOne(
        { _id: consultationId },
        {
          $set: {
            fhirOutbox: [
              {
                version: 1,
                state: 'failed',
                attempts: 1,
                queuedAt: new Date(),
                bundle: '{}',
                lastError: 'HTTP 422',
              },
            ],
          },
        },
      );
      return { path: `/api/fhir-push/${consultationId}/1/retry` };
    },
    'GET /api/bulk-exports': async () => ({ path: '/api/bulk-exports?limit=5' }),
  };

  async function run(request: MatrixRequest, method: string, token: string | undefined) {
    const ip = nextIp();
    const res = await server.call(method, request.path, {
      token,
      body: request.body,
      ...(request.rawBody ? { rawBody: request.rawBody } : {}),
      headers: { ...request.headers, 'x-forwarded-for': ip },
    });
    const audited = (await server.models.AuditEvent.exists({ ip, outcome: 'denied' })) !== null;
    return { status: res.status, audited, body: res.body };
  }

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    tokens.clinic_doctor = await signIn(server, 'doctor.a');
    tokens.specialist = await signIn(server, 'cardio');
    tokens.administrator = await signIn(server, 'admin');
    tokens.auditor = await signIn(server, 'auditor');
    tokens['doctor.b'] = await signIn(server, 'doctor.b');
    // The specialist's "own" patient is one they are booked with, from the first cell on.
    await freshAppointment('own');

    const now = Math.floor(Date.now() / 1000);
    identityTokens['expired token'] = await signedClinicDoctorToken(
      server.signingKey,
      f.doctorA.id,
      f.clinicA.id,
      now - 60,
    );
    identityTokens['alg: none'] = unsignedAdministratorToken(f.admin.id, f.hospital.id);
    const passwordHash = await hashPassword(fixturePassword);
    const account = (username: string) =>
      server.models.User.create({
        username,
        passwordHash,
        role: 'clinic_doctor',
        organizationId: f.clinicA._id,
        name: { ar: username, latin: username },
      });
    const gone = await account('matrix.gone');
    identityTokens['deactivated account'] = await signIn(server, 'matrix.gone');
    await server.models.User.updateOne({ _id: gone._id }, { $set: { active: false } });
    const promoted = await account('matrix.promoted');
    identityTokens['role changed'] = await signIn(server, 'matrix.promoted');
    const client = await registerSystemClient(server, tokens.administrator, ['system/*.read']);
    identityTokens['system client token'] = await systemToken(server, client, 'system/*.read');
    await server.models.User.updateOne(
      { _id: promoted._id },
      { $set: { role: 'administrator', organizationId: f.hospital._id } },
    );
  }, 60_000);
  afterAll(() => server?.stop());

  it('has a row for every route the app registers, and no row for a route it does not', () => {
    const inTable = [...roleMatrix, ...publicRoutes, ...systemClientRoutes, ...fhirReadRoutes]
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(
      listRoutes(server.app)
        .map(({ method, path }) => `${method} ${path}`)
        .sort(),
    ).toEqual(inTable);
    expect(Object.keys(builders).sort()).toEqual(roleMatrix.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('answers every role × tenant cell as the table says, and audits every refusal', async () => {
    const mismatches: string[] = [];
    for (const route of roleMatrix) {
      const build = builders[`${route.method} ${route.path}`];
      if (!build) continue;
      for (const role of matrixRoles) {
        for (const [index, tenant] of (['own', 'other'] as const).entries()) {
          const expected = route.roles[role][index];
          const { status, audited, body } = await run(await build(tenant), route.method, tokens[role]);
          const cell = `${route.method} ${route.path} as ${role} (${tenant})`;
          if (status !== expected)
            mismatches.push(`${cell}: ${status}, expected ${expected} ${JSON.stringify(body).slice(0, 200)}`);
          if ((status === 401 || status === 403) && !audited)
            mismatches.push(`${cell}: ${status} not audited`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('answers every identity as the table says on every route, and audits every refusal', async () => {
    const mismatches: string[] = [];
    for (const route of roleMatrix) {
      const build = builders[`${route.method} ${route.path}`];
      if (!build) continue;
      for (const [identity, answer] of Object.entries(matrixIdentities)) {
        const expected = answer === 'current role' ? route.roles.administrator[0] : answer;
        const token = identityTokens[identity as keyof typeof matrixIdentities];
        const { status, audited } = await run(await build('own'), route.method, token);
        const cell = `${route.method} ${route.path} with ${identity}`;
        if (status !== expected) mismatches.push(`${cell}: ${status}, expected ${expected}`);
        if ((status === 401 || status === 403) && !audited) mismatches.push(`${cell}: ${status} not audited`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
