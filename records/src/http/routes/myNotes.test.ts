import { beforeAll, describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/** "My notes": a specialist's own drafts, signed and amended notes, paged, audited, and nobody else's. */
describe('GET /api/consultations: the specialist’s own notes', () => {
  const suite = recordsServerForSuite(['doctor.a', 'cardio', 'derma']);
  const ids: Record<'draft' | 'signed' | 'amended' | 'other', string> = {
    draft: '',
    signed: '',
    amended: '',
    other: '',
  };

  async function noteOf(appointmentHour: number, specialist: 'cardio' | 'derma'): Promise<string> {
    const booking =
      specialist === 'cardio'
        ? cardiologyBooking(suite.f, {
            start: tomorrowAt(appointmentHour),
            end: tomorrowAt(appointmentHour, 30),
          })
        : cardiologyBooking(suite.f, {
            specialty: 'dermatology',
            specialistId: suite.f.dermatologist.id,
            start: tomorrowAt(appointmentHour),
            end: tomorrowAt(appointmentHour, 30),
          });
    const booked = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body: booking,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const opened = await suite.server.call('GET', `/api/appointments/${booked.body.id}/consultation`, {
      token: suite.tokens[specialist],
    });
    expect(opened.status).toBe(200);
    return opened.body.id;
  }

  async function sign(id: string): Promise<void> {
    const written = await suite.server.call('PATCH', `/api/consultations/${id}`, {
      token: suite.tokens.cardio,
      body: { version: 0, changes: { findings: 'stable angina', plan: 'review in a month' } },
    });
    expect(written.status).toBe(200);
    const signed = await suite.server.call('POST', `/api/consultations/${id}/sign`, {
      token: suite.tokens.cardio,
      body: { version: 1 },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  }

  beforeAll(async () => {
    ids.draft = await noteOf(9, 'cardio');
    ids.signed = await noteOf(10, 'cardio');
    await sign(ids.signed);
    ids.amended = await noteOf(11, 'cardio');
    await sign(ids.amended);
    const amended = await suite.server.call('POST', `/api/consultations/${ids.amended}/amendments`, {
      token: suite.tokens.cardio,
      body: { version: 2, reason: 'dose corrected', changes: { plan: 'review in two weeks' } },
    });
    expect(amended.status, JSON.stringify(amended.body)).toBe(200);
    ids.other = await noteOf(12, 'derma');
  }, 60_000);

  const list = (query: string, token = suite.tokens.cardio) =>
    suite.server.call('GET', `/api/consultations${query}`, { token });

  it('lists the specialist’s notes newest first, with the patient, and never another specialist’s', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body.items.map((n: { id: string }) => n.id)).toEqual([ids.amended, ids.signed, ids.draft]);
    expect(res.body.items[0]).toMatchObject({ status: 'signed', amendmentCount: 1 });
    expect(res.body.items[0].patient.mrn).toBe(suite.f.patientA.mrn);
    expect(JSON.stringify(res.body)).not.toContain('angina');
  });

  it('filters by draft, signed and amended', async () => {
    const idsOf = async (status: string) =>
      (await list(`?status=${status}`)).body.items.map((n: { id: string }) => n.id);
    expect(await idsOf('draft')).toEqual([ids.draft]);
    expect(await idsOf('signed')).toEqual([ids.amended, ids.signed]);
    expect(await idsOf('amended')).toEqual([ids.amended]);
  });

  it('pages, telling whether more follow', async () => {
    const first = await list('?limit=2');
    expect(first.body).toMatchObject({ page: 1, limit: 2, hasMore: true });
    expect(first.body.items).toHaveLength(2);
    const second = await list('?limit=2&page=2');
    expect(second.body).toMatchObject({ page: 2, hasMore: false });
    expect(second.body.items.map((n: { id: string }) => n.id)).toEqual([ids.draft]);
  });

  it('audits each listed note as a read', async () => {
    await list('?status=draft');
    const events = await suite.server.models.AuditEvent.find({
      resourceIds: ids.draft,
      reason: 'list: my notes',
    }).lean();
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ action: 'read', outcome: 'success' });
  });

  it('refuses a clinic doctor (403, audited) and a bad status with a clear 400', async () => {
    const refused = await list('', suite.tokens['doctor.a']);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const bad = await list('?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
