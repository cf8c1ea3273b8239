import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { overlappingFilter } from '../../appointments/specialistBusyTimes.js';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/**
 * `GET /api/specialists/:id/busy`: a clinic's slot picker learns which times another clinic took, without
 * learning anything about that clinic's patients.
 */
describe("a specialist's busy times", () => {
  const suite = recordsServerForSuite(['admin', 'auditor', 'doctor.a', 'doctor.b', 'cardio']);
  const window = (from: string, to: string) =>
    `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const busyOf = (specialistId: string, query: string, token = suite.tokens['doctor.b']) =>
    suite.server.call('GET', `/api/specialists/${specialistId}/busy?${query}`, { token });

  beforeAll(async () => {
    // Clinic A books the cardiologist at 10:00 and 12:00 (then cancels 12:00), and the second one at 11:00.
    const book = async (overrides: Record<string, unknown>) => {
      const res = await suite.server.call('POST', '/api/appointments', {
        token: suite.tokens['doctor.a'],
        body: cardiologyBooking(suite.f, overrides),
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    await book({});
    const cancelled = await book({ start: tomorrowAt(12), end: tomorrowAt(12, 30) });
    const cancel = await suite.server.call('POST', `/api/appointments/${cancelled}/status`, {
      token: suite.tokens['doctor.a'],
      body: { status: 'cancelled' },
    });
    expect(cancel.status).toBe(200);
    await book({ specialistId: suite.f.cardiologist2.id, start: tomorrowAt(11), end: tomorrowAt(11, 30) });
  }, 60_000);

  it("shows another clinic's booking as a bare time, leaving out cancelled ones and other specialists", async () => {
    const res = await busyOf(suite.f.cardiologist.id, window(tomorrowAt(0), tomorrowAt(23)));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      specialistId: suite.f.cardiologist.id,
      from: tomorrowAt(0),
      to: tomorrowAt(23),
      items: [{ start: tomorrowAt(10), end: tomorrowAt(10, 30) }],
    });
    // No patient, clinic, reason or status of clinic A reaches clinic B.
    const text = JSON.stringify(res.body);
    for (const secret of [suite.f.patientA.id, suite.f.clinicA.id, 'palpitations', 'Fatma', 'scheduled'])
      expect(text).not.toContain(secret);
  });

  it('includes an appointment that began before the window and ends inside it, and none that only touch it', async () => {
    const overlapping = await busyOf(suite.f.cardiologist.id, window(tomorrowAt(10, 15), tomorrowAt(11)));
    expect(overlapping.body.items).toEqual([{ start: tomorrowAt(10), end: tomorrowAt(10, 30) }]);
    const touching = await busyOf(suite.f.cardiologist.id, window(tomorrowAt(10, 30), tomorrowAt(11)));
    expect(touching.body.items).toEqual([]);
  });

  it('is open to clinic doctors and administrators, and refused (audited) to specialists and auditors', async () => {
    const query = window(tomorrowAt(0), tomorrowAt(23));
    expect((await busyOf(suite.f.cardiologist.id, query, suite.tokens.admin)).status).toBe(200);
    for (const who of ['cardio', 'auditor']) {
      const refused = await busyOf(suite.f.cardiologist.id, query, suite.tokens[who]);
      expect(refused.status).toBe(403);
    }
    const refusals = await suite.server.models.AuditEvent.countDocuments({
      outcome: 'denied',
      actorId: suite.f.cardiologist._id,
    });
    expect(refusals).toBeGreaterThan(0);
  });

  it.each([
    ['a window over 31 days', window('2031-01-01T00:00:00Z', '2031-02-02T00:00:00Z'), 'at most 31 days'],
    ['an end before the start', window('2031-01-02T00:00:00Z', '2031-01-01T00:00:00Z'), 'to must be after'],
    ['no window', '', 'from'],
    ['a date that is not a time', 'from=yesterday&to=2031-01-01T00:00:00Z', 'from'],
  ])('refuses %s with VALIDATION_FAILED in both languages', async (_, query, english) => {
    const res = await busyOf(suite.f.cardiologist.id, query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(english);
    const arabic = await suite.server.call(
      'GET',
      `/api/specialists/${suite.f.cardiologist.id}/busy?${query}`,
      {
        token: suite.tokens['doctor.b'],
        headers: { 'accept-language': 'ar' },
      },
    );
    expect(arabic.body.error.message).toMatch(/[\u0600-\u06FF]/);
  });

  it('answers 404 for an id that is not a specialist', async () => {
    const query = window(tomorrowAt(0), tomorrowAt(23));
    for (const id of [suite.f.doctorA.id, new Types.ObjectId().toHexString(), 'nonsense']) {
      const res = await busyOf(id, query);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it("reads a day of a specialist with years of bookings through the index, examining only that day's", async () => {
    const specialistId = new Types.ObjectId();
    const first = Date.parse('2027-01-01T06:00:00Z');
    // Four half-hour bookings a day for three years.
    const docs = Array.from({ length: 4 * 365 * 3 }, (_, i) => {
      const start = new Date(first + Math.floor(i / 4) * 86_400_000 + (i % 4) * 3_600_000);
      return {
        kind: 'scheduled',
        clinicId: suite.f.clinicA._id,
        patientId: suite.f.patientA._id,
        specialty: 'cardiology',
        specialistId,
        start,
        end: new Date(start.getTime() + 30 * 60_000),
        reason: 'x',
        status: 'scheduled',
        createdBy: suite.f.doctorA._id,
      };
    });
    await suite.server.models.Appointment.insertMany(docs);
    const from = new Date('2028-06-01T00:00:00Z');
    const to = new Date('2028-06-02T00:00:00Z');
    const plan = (await suite.server.models.Appointment.find(
      overlappingFilter(specialistId, from, to),
    ).explain('executionStats')) as unknown as {
      executionStats: { nReturned: number; totalDocsExamined: number };
    };
    expect(plan.executionStats.nReturned).toBe(4);
    expect(plan.executionStats.totalDocsExamined).toBe(4);
  }, 60_000);
});
