import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentService } from '../appointments/AppointmentService.js';
import { createRecordsServices } from '../RecordsServices.js';
import { errorCodeOf } from '../testing/errorCodeOf.js';
import { cardiologyBooking, createFixtures, type Fixtures, tomorrowAt } from '../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { serviceCaller } from '../testing/serviceCallers.js';
import type { ConsultationService } from './ConsultationService.js';

/** The signing and amending rules run without HTTP, as signaling and workers call them, on the real store. */
describe('ConsultationService', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  let consultations: ConsultationService;
  let appointments: AppointmentService;
  let hour = 8;

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    ({ consultations, appointments } = createRecordsServices(server));
  });
  afterAll(() => server?.stop());

  const codeOf = errorCodeOf;

  /** A fresh draft of a new appointment with the cardiologist. */
  async function draft() {
    hour += 1;
    const input = cardiologyBooking(f, { start: tomorrowAt(hour), end: tomorrowAt(hour, 30) });
    const appointment = await appointments.book(serviceCaller(f.doctorA), input as never);
    return consultations.openForAppointment(serviceCaller(f.doctorA), appointment.id);
  }

  const specialist = () => serviceCaller(f.cardiologist);

  it('signs only a draft with findings or a diagnosis, only by its specialist, only at the version seen', async () => {
    const doc = await draft();
    expect(await codeOf(consultations.sign(specialist(), doc.id, doc.version))).toBe('UNPROCESSABLE');
    const written = await consultations.update(specialist(), doc.id, {
      version: doc.version,
      changes: { findings: 'sinus rhythm' },
    });
    expect(await codeOf(consultations.sign(serviceCaller(f.doctorA), doc.id, written.version))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(consultations.sign(serviceCaller(f.cardiologist2), doc.id, written.version))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(consultations.sign(specialist(), doc.id, doc.version))).toBe('STALE_WRITE');
    const signed = await consultations.sign(specialist(), doc.id, written.version);
    expect(signed).toMatchObject({
      status: 'signed',
      signedBy: f.cardiologist.id,
      version: written.version + 1,
    });
    expect(await codeOf(consultations.sign(specialist(), doc.id, signed.version))).toBe('UNPROCESSABLE');
    const events = await server.models.AuditEvent.find({ resourceIds: doc.id, action: 'sign' }).lean();
    expect(events.map((e) => [e.via, e.actorId?.toHexString()])).toEqual([['signaling', f.cardiologist.id]]);
  });

  it('changes a signed consultation only by amendment, which keeps the content it replaces and why', async () => {
    const doc = await draft();
    const written = await consultations.update(specialist(), doc.id, {
      version: doc.version,
      changes: { diagnoses: [{ code: 'I10', text: 'Essential hypertension', kind: 'primary' }] },
    });
    expect(
      await codeOf(
        consultations.amend(specialist(), doc.id, {
          version: written.version,
          reason: 'too soon',
          changes: {},
        }),
      ),
    ).toBe('UNPROCESSABLE');
    const signed = await consultations.sign(specialist(), doc.id, written.version);
    expect(
      await codeOf(
        consultations.update(specialist(), doc.id, { version: signed.version, changes: { plan: 'x' } }),
      ),
    ).toBe('UNPROCESSABLE');
    expect(
      await codeOf(
        consultations.amend(serviceCaller(f.doctorA), doc.id, {
          version: signed.version,
          reason: 'mine',
          changes: { history: 'x' },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        consultations.amend(specialist(), doc.id, {
          version: signed.version,
          reason: 'wrong code',
          changes: { diagnoses: [{ code: 'Q99.99X', text: 'made up', kind: 'primary' }] },
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    const amended = await consultations.amend(specialist(), doc.id, {
      version: signed.version,
      reason: 'add the plan',
      changes: { plan: 'review in 3 months' },
    });
    expect(amended.status).toBe('signed');
    expect(amended.content.plan).toBe('review in 3 months');
    expect(amended.amendments).toHaveLength(1);
    expect(amended.amendments[0]).toMatchObject({
      version: signed.version,
      reason: 'add the plan',
      by: f.cardiologist.id,
    });
    expect(amended.amendments[0]?.previous.plan).toBeUndefined();
    expect(amended.amendments[0]?.previous.diagnoses).toEqual([
      { code: 'I10', text: 'Essential hypertension', kind: 'primary' },
    ]);
    expect(
      await codeOf(
        consultations.amend(specialist(), doc.id, { version: signed.version, reason: 'again', changes: {} }),
      ),
    ).toBe('STALE_WRITE');
  });

  it('keeps each role to its fields: the clinic writes the history, not the opinion', async () => {
    const doc = await draft();
    expect(
      await codeOf(
        consultations.update(serviceCaller(f.doctorA), doc.id, {
          version: doc.version,
          changes: { findings: 'x' },
        }),
      ),
    ).toBe('FORBIDDEN');
    const written = await consultations.update(serviceCaller(f.doctorA), doc.id, {
      version: doc.version,
      changes: { history: 'hypertensive for 10 years' },
    });
    expect(written.content.history).toBe('hypertensive for 10 years');
  });

  it('takes vital signs from the clinic on a draft only, and chat from both parties', async () => {
    const doc = await draft();
    const takenAt = new Date().toISOString();
    const spo2 = { kind: 'spo2', value: 94, unit: '%', takenAt } as const;
    const vital = await consultations.appendVitalSign(serviceCaller(f.doctorA), doc.id, spo2);
    expect(vital).toMatchObject({ kind: 'spo2', value: 94, recordedBy: f.doctorA.id });
    expect(await codeOf(consultations.appendVitalSign(specialist(), doc.id, spo2))).toBe('FORBIDDEN');
    const message = await consultations.appendChat(specialist(), doc.id, 'hello');
    expect(message).toMatchObject({ text: 'hello', authorId: f.cardiologist.id, authorRole: 'specialist' });
    expect(await codeOf(consultations.appendChat(serviceCaller(f.doctorB), doc.id, 'not mine'))).toBe(
      'FORBIDDEN',
    );
    const read = await consultations.read(specialist(), doc.id);
    expect(read.vitalSigns).toHaveLength(1);
    expect(read.chat.map((m) => m.text)).toEqual(['hello']);
  });
});
