import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardiologyBooking,
  createFixtures,
  type Fixtures,
  signIn,
  tomorrowAt,
} from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';

/**
 * Issue 24, fault 1: the list of a patient's consultations showed a cardiologist another specialist's draft
 * (with its findings) that the single read refused. One rule now holds for both: the consultations a
 * specialist is booked on or joined, and the signed ones of a patient they are booked with, as history.
 */
describe('consultation visibility: a patient seen by two specialists', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  const tokens: Record<string, string> = {};
  let signedId: string;
  let draftId: string;
  let cardiologyAppointmentId: string;

  async function openConsultation(appointmentId: string, token: string | undefined): Promise<string> {
    const res = await server.call('GET', `/api/appointments/${appointmentId}/consultation`, { token });
    expect(res.status).toBe(200);
    return res.body.id;
  }

  async function book(body: Record<string, unknown>): Promise<string> {
    const res = await server.call('POST', '/api/appointments', { token: tokens['doctor.a'], body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    for (const name of ['doctor.a', 'cardio', 'derma']) tokens[name] = await signIn(server, name);
    const dermatology = (hour: number) =>
      cardiologyBooking(f, {
        specialty: 'dermatology',
        specialistId: f.dermatologist.id,
        start: tomorrowAt(hour),
        end: tomorrowAt(hour, 30),
        reason: 'rash',
      });
    const signedAppointment = await book(dermatology(9));
    const draftAppointment = await book(dermatology(13));
    cardiologyAppointmentId = await book(
      cardiologyBooking(f, { start: tomorrowAt(15), end: tomorrowAt(15, 30) }),
    );

    signedId = await openConsultation(signedAppointment, tokens.derma);
    const written = await server.call('PATCH', `/api/consultations/${signedId}`, {
      token: tokens.derma,
      body: { version: 0, changes: { findings: 'psoriasis plaques on both elbows' } },
    });
    expect(written.status).toBe(200);
    const signed = await server.call('POST', `/api/consultations/${signedId}/sign`, {
      token: tokens.derma,
      body: { version: 1 },
    });
    expect(signed.status).toBe(200);

    draftId = await openConsultation(draftAppointment, tokens.derma);
    const draft = await server.call('PATCH', `/api/consultations/${draftId}`, {
      token: tokens.derma,
      body: { version: 0, changes: { findings: 'suspected melanoma, not yet confirmed' } },
    });
    expect(draft.status).toBe(200);
  });
  afterAll(() => server?.stop());

  it('lists the signed history and never the other specialist’s draft', async () => {
    const list = await server.call('GET', `/api/patients/${f.patientA.id}/consultations`, {
      token: tokens.cardio,
    });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(signedId);
    expect(ids).not.toContain(draftId);
    expect(JSON.stringify(list.body)).not.toContain('melanoma');
  });

  it('answers the single read as the list does, for the signed one and the draft', async () => {
    const signed = await server.call('GET', `/api/consultations/${signedId}`, { token: tokens.cardio });
    expect(signed.status).toBe(200);
    expect(signed.body.content.findings).toContain('psoriasis');
    const draft = await server.call('GET', `/api/consultations/${draftId}`, { token: tokens.cardio });
    expect(draft.status).toBe(403);
  });

  it('lets a history reader read, never write', async () => {
    const chat = await server.call('POST', `/api/consultations/${signedId}/chat`, {
      token: tokens.cardio,
      body: { text: 'seen' },
    });
    expect(chat.status).toBe(403);
  });

  it('audits each history read as such, naming the consultations read', async () => {
    const events = await server.models.AuditEvent.find({
      actorId: f.cardiologist._id,
      resourceType: 'consultation-history',
      outcome: 'success',
    }).lean();
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      expect(event.resourceIds).toEqual([signedId]);
      expect(event.reason).toMatch(/history/);
    }
    const reads = await server.models.AuditEvent.find({
      actorId: f.cardiologist._id,
      outcome: 'success',
    }).lean();
    expect(reads.flatMap((e) => e.resourceIds)).not.toContain(draftId);
  });

  it('grants nothing once the specialist’s appointment with the patient is cancelled', async () => {
    const cancelled = await server.call('POST', `/api/appointments/${cardiologyAppointmentId}/status`, {
      token: tokens['doctor.a'],
      body: { status: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    const list = await server.call('GET', `/api/patients/${f.patientA.id}/consultations`, {
      token: tokens.cardio,
    });
    const single = await server.call('GET', `/api/consultations/${signedId}`, { token: tokens.cardio });
    expect(list.body.items ?? []).not.toContainEqual(expect.objectContaining({ id: signedId }));
    expect(single.status).toBe(403);
  });
});
