import { beforeAll, describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/** Every input path answers malformed input with VALIDATION_FAILED (or NOT_FOUND for a malformed id). */
describe('bad input on every route', () => {
  const suite = recordsServerForSuite(['admin', 'auditor', 'doctor.a', 'cardio']);
  let appointmentId: string;
  let consultationId: string;

  beforeAll(async () => {
    const appointment = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: cardiologyBooking(suite.f, {
        start: tomorrowAt(15),
        end: tomorrowAt(15, 30),
        reason: 'follow-up',
      }),
    });
    appointmentId = appointment.body.id;
    const consultation = await suite.server.call('GET', `/api/appointments/${appointmentId}/consultation`, {
      token: suite.tokens.cardio,
    });
    consultationId = consultation.body.id;
  });

  const cases: [string, string, string, () => unknown, string][] = [
    ['admin', 'POST', '/api/organizations', () => ({ kind: 'pharmacy', name: { ar: 'x' } }), 'kind'],
    ['admin', 'PATCH', '/api/organizations/ORG', () => ({ timeZone: 'Mars/Olympus' }), 'timeZone'],
    ['admin', 'PATCH', '/api/users/USER', () => ({ role: 'administrator' }), '(root)'],
    [
      'admin',
      'PUT',
      '/api/specialists/SPEC/availability',
      () => ({ weekly: [{ weekday: 9, start: '9', end: '10' }] }),
      'weekly.0.weekday',
    ],
    [
      'doctor.a',
      'POST',
      '/api/urgent-requests',
      () => ({ patientId: 'PATIENT', specialty: 'magic', reason: '' }),
      'specialty',
    ],
    ['doctor.a', 'POST', '/api/appointments/APPT/status', () => ({ status: 'teleported' }), 'status'],
    ['cardio', 'PATCH', '/api/consultations/CONS', () => ({ changes: { plan: 'x' } }), 'version'],
    ['cardio', 'POST', '/api/consultations/CONS/sign', () => ({}), 'version'],
    [
      'cardio',
      'POST',
      '/api/consultations/CONS/amendments',
      () => ({ version: 0, reason: 'x', changes: {} }),
      'reason',
    ],
    ['cardio', 'POST', '/api/consultations/CONS/chat', () => ({ text: '   ' }), 'text'],
    ['doctor.a', 'POST', '/api/consultations/CONS/chat', () => ({ text: 'hi', html: '<b>' }), '(root)'],
  ];

  it.each(cases)(
    '%s %s %s refuses malformed input, naming the field',
    async (who, method, path, body, field) => {
      const resolved = path
        .replace('ORG', suite.f.clinicA.id)
        .replace('USER', suite.f.doctorB.id)
        .replace('SPEC', suite.f.cardiologist.id)
        .replace('PATIENT', suite.f.patientA.id)
        .replace('APPT', appointmentId)
        .replace('CONS', consultationId);
      const res = await suite.server.call(method, resolved, { token: suite.tokens[who], body: body() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    },
  );

  it.each([
    ['auditor', '/api/audit-events?patientId=not-an-id', 'patientId'],
    ['auditor', '/api/audit-events?limit=5000', 'limit'],
    ['cardio', '/api/icd10', 'q'],
    ['doctor.a', '/api/appointments?date=tomorrow', 'date'],
  ])('%s GET %s refuses a malformed query', async (who, path, field) => {
    const res = await suite.server.call('GET', path, { token: suite.tokens[who] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it.each(['/api/patients/123', '/api/appointments/%24gt', '/api/consultations/zzzzzzzzzzzzzzzzzzzzzzzz'])(
    'answers a malformed id in %s with NOT_FOUND, never a database error',
    async (path) => {
      const res = await suite.server.call('GET', path, { token: suite.tokens.cardio });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    },
  );
});
