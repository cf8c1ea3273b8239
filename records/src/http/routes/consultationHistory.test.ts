import { beforeAll, describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/**
 * Issue 24, fault 1: the list of a patient's consultations showed a cardiologist another specialist's draft
 * (with its findings) that the single read refused. One rule now holds for both: the consultations a
 * specialist is booked on or joined, and the signed ones of a patient they are booked with, as history.
 */
describe('consultation visibility: a patient seen by two specialists', () => {
  const suite = recordsServerForSuite(['doctor.a', 'cardio', 'derma']);
  let signedId: string;
  let draftId: string;
  let cardiologyAppointmentId: string;

  async function openConsultation(appointmentId: string, token: string | undefined): Promise<string> {
    const res = await suite.server.call('GET', `/api/appointments/${appointmentId}/consultation`, { token });
    expect(res.status).toBe(200);
    return res.body.id;
  }

  async function book(body: Record<string, unknown>): Promise<string> {
    const res = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  beforeAll(async () => {
    const dermatology = (hour: number) =>
      cardiologyBooking(suite.f, {
        specialty: 'dermatology',
        specialistId: suite.f.dermatologist.id,
        start: tomorrowAt(hour),
        end: tomorrowAt(hour, 30),
        reason: 'rash',
      });
    const signedAppointment = await book(dermatology(9));
    const draftAppointment = await book(dermatology(13));
    cardiologyAppointmentId = await book(
      cardiologyBooking(suite.f, { start: tomorrowAt(15), end: tomorrowAt(15, 30) }),
    );

    signedId = await openConsultation(signedAppointment, suite.tokens.derma);
    const written = await suite.server.call('PATCH', `/api/consultations/${signedId}`, {
      token: suite.tokens.derma,
      body: { version: 0, changes: { findings: 'psoriasis plaques on both elbows' } },
    });
    expect(written.status).toBe(200);
    const signed = await suite.server.call('POST', `/api/consultations/${signedId}/sign`, {
      token: suite.tokens.derma,
      body: { version: 1 },
    });
    expect(signed.status).toBe(200);

    draftId = await openConsultation(draftAppointment, suite.tokens.derma);
    const draft = await suite.server.call('PATCH', `/api/consultations/${draftId}`, {
      token: suite.tokens.derma,
      body: { version: 0, changes: { findings: 'suspected melanoma, not yet confirmed' } },
    });
    expect(draft.status).toBe(200);
  });

  it('lists the signed history and never the other specialist’s draft', async () => {
    const list = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}/consultations`, {
      token: suite.tokens.cardio,
    });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(signedId);
    expect(ids).not.toContain(draftId);
    expect(JSON.stringify(list.body)).not.toContain('melanoma');
  });

  it('answers the single read as the list does, for the signed one and the draft', async () => {
    const signed = await suite.server.call('GET', `/api/consultations/${signedId}`, {
      token: suite.tokens.cardio,
    });
    expect(signed.status).toBe(200);
    expect(signed.body.content.findings).toContain('psoriasis');
    const draft = await suite.server.call('GET', `/api/consultations/${draftId}`, {
      token: suite.tokens.cardio,
    });
    expect(draft.status).toBe(403);
  });

  it('lets a history reader read, never write', async () => {
    const chat = await suite.server.call('POST', `/api/consultations/${signedId}/chat`, {
      token: suite.tokens.cardio,
      body: { text: 'seen' },
    });
    expect(chat.status).toBe(403);
  });

  it('audits each history read as such, naming the consultations read', async () => {
    const events = await suite.server.models.AuditEvent.find({
      actorId: suite.f.cardiologist._id,
      resourceType: 'consultation-history',
      outcome: 'success',
    }).lean();
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      expect(event.resourceIds).toEqual([signedId]);
      expect(event.reason).toMatch(/history/);
    }
    const reads = await suite.server.models.AuditEvent.find({
      actorId: suite.f.cardiologist._id,
      outcome: 'success',
    }).lean();
    expect(reads.flatMap((e) => e.resourceIds)).not.toContain(draftId);
  });

  it('grants nothing once the specialist’s appointment with the patient is cancelled', async () => {
    const cancelled = await suite.server.call('POST', `/api/appointments/${cardiologyAppointmentId}/status`, {
      token: suite.tokens['doctor.a'],
      body: { status: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    const list = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}/consultations`, {
      token: suite.tokens.cardio,
    });
    const single = await suite.server.call('GET', `/api/consultations/${signedId}`, {
      token: suite.tokens.cardio,
    });
    expect(list.body.items ?? []).not.toContainEqual(expect.objectContaining({ id: signedId }));
    expect(single.status).toBe(403);
  });
});
