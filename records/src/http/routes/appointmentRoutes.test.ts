import { describe, expect, it } from 'vitest';
import { cardiologyBooking, fixtureUsernames, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

describe('scheduling', () => {
  const suite = recordsServerForSuite(fixtureUsernames);
  const booking = (overrides: Record<string, unknown> = {}) => cardiologyBooking(suite.f, overrides);

  it('books within availability and refuses a double booking of the specialist with 409', async () => {
    const first = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body: booking(),
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'scheduled',
      kind: 'scheduled',
      specialistId: suite.f.cardiologist.id,
    });
    const overlapping = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: booking({ start: tomorrowAt(10, 15), end: tomorrowAt(10, 45) }),
    });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.message).toContain('already booked');
    // The clash is told in the hospital's wall-clock time, with the zone named, never as raw UTC.
    const cairo = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Africa/Cairo',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(iso));
    const booked = `${cairo(tomorrowAt(10))}–${cairo(tomorrowAt(10, 30))}`;
    expect(overlapping.body.error.message).toContain(`${booked} on`);
    expect(overlapping.body.error.message).toContain('(Africa/Cairo)');
    expect(overlapping.body.error.message).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const inArabic = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      headers: { 'accept-language': 'ar' },
      body: booking({ start: tomorrowAt(10, 15), end: tomorrowAt(10, 45) }),
    });
    expect(inArabic.status).toBe(409);
    expect(inArabic.body.error.message).toContain(`محجوز ${booked} يوم`);
    expect(inArabic.body.error.message).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const adjacent = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: booking({ start: tomorrowAt(10, 30), end: tomorrowAt(11) }),
    });
    expect(adjacent.status).toBe(201);
  });

  it('lets only one of many simultaneous bookings of the same slot through', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () =>
        suite.server.call('POST', '/api/appointments', {
          token: suite.tokens.admin,
          body: booking({ start: tomorrowAt(14), end: tomorrowAt(14, 30) }),
        }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('refuses a booking outside the specialist’s hours, saying why', async () => {
    const res = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: booking({ start: tomorrowAt(19, 45), end: tomorrowAt(20, 15) }),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain("outside the specialist's hours");
  });

  it('refuses inconsistent bookings with clear validation errors', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [booking({ end: tomorrowAt(9) }), 400, 'end must be after start'],
      [booking({ specialty: 'dermatology' }), 400, 'practises cardiology'],
      [booking({ patientId: suite.f.patientB.id }), 403, 'belongs to another clinic'],
      [booking({ start: 'tomorrow', end: 'later' }), 400, 'ISO 8601'],
      [booking({ clinicId: suite.f.clinicB.id, patientId: suite.f.patientB.id }), 403, 'own clinic'],
    ];
    for (const [body, status, text] of cases) {
      const res = await suite.server.call('POST', '/api/appointments', {
        token: suite.tokens['doctor.a'],
        body,
      });
      expect(res.status, text).toBe(status);
      expect(JSON.stringify(res.body.error), text).toContain(text);
    }
  });

  it('walks the status lifecycle with the right role at each step, refusing illegal moves', async () => {
    const created = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: booking({ start: tomorrowAt(12), end: tomorrowAt(12, 30) }),
    });
    const id = created.body.id as string;
    const move = (who: string, status: string) =>
      suite.server.call('POST', `/api/appointments/${id}/status`, {
        token: suite.tokens[who],
        body: { status },
      });

    expect((await move('cardio', 'completed')).body.error.code).toBe('UNPROCESSABLE');
    expect((await move('doctor.a', 'in-progress')).status).toBe(403);
    expect((await move('doctor.a', 'waiting')).body.status).toBe('waiting');
    expect((await move('cardio2', 'in-progress')).status).toBe(403);
    const joined = await move('cardio', 'in-progress');
    expect(joined.body).toMatchObject({ status: 'in-progress', specialistJoinedAt: expect.any(String) });
    const cancel = await move('doctor.a', 'cancelled');
    expect(cancel.status).toBe(422);
    expect(cancel.body.error.message).toContain('in-progress cannot become cancelled');
    const done = await move('cardio', 'completed');
    expect(done.body.statusHistory.map((h: { status: string }) => h.status)).toEqual([
      'scheduled',
      'waiting',
      'in-progress',
      'completed',
    ]);
    expect(done.body.statusHistory[1].by).toBe(suite.f.doctorA.id);
  });

  it("lists today's appointments for a specialist: their own only", async () => {
    const day = tomorrowAt(12).slice(0, 10);
    const res = await suite.server.call('GET', `/api/appointments?date=${day}`, {
      token: suite.tokens.cardio,
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThanOrEqual(3);
    for (const item of res.body.items) {
      expect(item.specialistId).toBe(suite.f.cardiologist.id);
      expect(item.patient).toEqual({
        name: { ar: 'فاطمة أحمد علي', latin: 'Fatma Ahmed Ali' },
        mrn: 'A-1001',
        sex: 'female',
        birthDate: '1980-04-12',
      });
    }
    const audited = await suite.server.models.AuditEvent.find({
      actorId: suite.f.cardiologist._id,
      resourceType: 'appointment',
      action: 'read',
      reason: 'list',
    }).lean();
    expect(audited).toHaveLength(1);
    expect([...audited[0]!.resourceIds].sort()).toEqual(
      res.body.items.map((a: { id: string }) => a.id).sort(),
    );
    // Paged: every page reports the same total, whether it was counted or read off a partial page.
    const total = res.body.total as number;
    const ids: string[] = [];
    for (let page = 1; page <= Math.ceil(total / 2) + 1; page++) {
      const part = await suite.server.call('GET', `/api/appointments?date=${day}&limit=2&page=${page}`, {
        token: suite.tokens.cardio,
      });
      expect(part.body).toMatchObject({ total, hasMore: page * 2 < total });
      ids.push(...part.body.items.map((a: { id: string }) => a.id));
    }
    expect(ids).toEqual(res.body.items.map((a: { id: string }) => a.id));
    const none = await suite.server.call('GET', `/api/appointments?date=${day}`, {
      token: suite.tokens.derma,
    });
    expect(none.body.total).toBe(0);
    expect(
      (await suite.server.call('GET', '/api/appointments', { token: suite.tokens.auditor })).status,
    ).toBe(403);
  });

  it('lists each patient as their record now reads: copied at booking, rewritten when the record changes', async () => {
    const day = tomorrowAt(12).slice(0, 10);
    const listed = async () =>
      (await suite.server.call('GET', `/api/appointments?date=${day}`, { token: suite.tokens.cardio })).body
        .items as Array<{
        id: string;
        patient: { name: { latin: string }; mrn: string };
      }>;
    const fatma = { name: { ar: 'فاطمة أحمد علي', latin: 'Fatma Ahmed Ali' }, mrn: 'A-1001' };
    const booked = await suite.server.models.Appointment.find({ patientId: suite.f.patientA._id }).lean();
    expect(booked.length).toBeGreaterThanOrEqual(3);
    for (const appointment of booked) expect(appointment.patient).toMatchObject(fatma);
    // An appointment booked before appointments kept the copy: the list looks its patient up.
    const [older] = booked;
    await suite.server.models.Appointment.collection.updateOne(
      { _id: older!._id },
      { $unset: { patient: 1 } },
    );
    const before = await listed();
    expect(before.find((a) => a.id === older!._id.toHexString())?.patient).toMatchObject(fatma);

    const renamed = { ar: 'فاطمة أحمد عبد الله', latin: 'Fatma Ahmed Abdallah' };
    const change = (body: object) =>
      suite.server.call('PATCH', `/api/patients/${suite.f.patientA.id}`, {
        token: suite.tokens['doctor.a'],
        body,
      });
    expect((await change({ name: renamed, mrn: 'a-1001-b' })).status).toBe(200);
    const after = await listed();
    expect(after.length).toBe(before.length);
    for (const item of after) expect(item.patient).toMatchObject({ name: renamed, mrn: 'A-1001-B' });
    const stored = await suite.server.models.Appointment.find({ patientId: suite.f.patientA._id }).lean();
    for (const appointment of stored)
      expect(appointment.patient).toMatchObject({ name: renamed, mrn: 'A-1001-B' });
    // A change of the clinical fields only leaves the copies alone.
    const updatedAt = stored.map((a) => a.updatedAt?.getTime());
    expect((await change({ allergies: ['penicillin'] })).status).toBe(200);
    expect(
      (await suite.server.models.Appointment.find({ patientId: suite.f.patientA._id }).lean()).map((a) =>
        a.updatedAt?.getTime(),
      ),
    ).toEqual(updatedAt);
    expect((await change({ name: fatma.name, mrn: fatma.mrn })).status).toBe(200);
    for (const item of await listed()) expect(item.patient).toMatchObject(fatma);
  });

  it('queues an urgent request per specialty; one specialist takes it, the next gets 409', async () => {
    const request = await suite.server.call('POST', '/api/urgent-requests', {
      token: suite.tokens['doctor.a'],
      body: {
        patientId: suite.f.patientA.id,
        specialty: 'cardiology',
        reason: 'crushing chest pain for 30 minutes',
      },
    });
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({ kind: 'on-demand', status: 'waiting', priority: 'urgent' });
    const queue = await suite.server.call('GET', '/api/urgent-requests', { token: suite.tokens.cardio2 });
    expect(queue.body.items.map((a: { id: string }) => a.id)).toContain(request.body.id);
    const dermaQueue = await suite.server.call('GET', '/api/urgent-requests', { token: suite.tokens.derma });
    expect(dermaQueue.body.items).toHaveLength(0);

    const [a, b] = await Promise.all([
      suite.server.call('POST', `/api/urgent-requests/${request.body.id}/pick`, {
        token: suite.tokens.cardio,
      }),
      suite.server.call('POST', `/api/urgent-requests/${request.body.id}/pick`, {
        token: suite.tokens.cardio2,
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const emptied = await suite.server.call('GET', '/api/urgent-requests', { token: suite.tokens.cardio2 });
    expect(emptied.body.items.map((x: { id: string }) => x.id)).not.toContain(request.body.id);
  });

  it('answers administrators without clinical content: no reason for the visit, no status notes', async () => {
    const reason = 'palpitations since the new medication';
    const booked = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body: booking({ start: tomorrowAt(16), end: tomorrowAt(16, 30), reason }),
    });
    expect(booked.body.reason).toBe(reason);
    const id = booked.body.id as string;
    const note = 'the patient was admitted to the ward overnight';
    const moved = await suite.server.call('POST', `/api/appointments/${id}/status`, {
      token: suite.tokens['doctor.a'],
      body: { status: 'waiting', note },
    });
    expect(moved.body.statusHistory.at(-1).note).toBe(note);
    const urgent = await suite.server.call('POST', '/api/urgent-requests', {
      token: suite.tokens['doctor.a'],
      body: { patientId: suite.f.patientA.id, specialty: 'dermatology', reason: 'a spreading rash' },
    });
    expect(urgent.status).toBe(201);

    const day = tomorrowAt(16).slice(0, 10);
    const asAdmin = { token: suite.tokens.admin };
    const answers = [
      await suite.server.call('GET', `/api/appointments?date=${day}`, asAdmin),
      await suite.server.call('GET', `/api/appointments/${id}`, asAdmin),
      await suite.server.call('GET', '/api/urgent-requests', asAdmin),
      await suite.server.call('POST', '/api/appointments', {
        ...asAdmin,
        body: booking({ start: tomorrowAt(17), end: tomorrowAt(17, 30), reason }),
      }),
      await suite.server.call('POST', `/api/appointments/${id}/status`, {
        ...asAdmin,
        body: { status: 'cancelled', note: 'second opinion no longer needed' },
      }),
    ];
    for (const answer of answers) expect(answer.status).toBeLessThan(300);
    const listed = answers[0]!.body.items.find((a: { id: string }) => a.id === id);
    expect(listed).toMatchObject({ id, specialty: 'cardiology', patient: { mrn: 'A-1001' } });
    const queued = answers[2]!.body.items.find((a: { id: string }) => a.id === urgent.body.id);
    expect(queued).toMatchObject({ kind: 'on-demand', specialty: 'dermatology' });
    const text = JSON.stringify(answers.map((a) => a.body));
    for (const clinical of [reason, note, 'a spreading rash', 'second opinion', 'urgent request']) {
      expect(text).not.toContain(clinical);
    }
    expect(text).not.toContain('"reason"');
    expect(text).not.toContain('"note"');
    // The clinic that booked it still reads it whole.
    const asClinic = await suite.server.call('GET', `/api/appointments/${id}`, {
      token: suite.tokens['doctor.a'],
    });
    expect(asClinic.body.reason).toBe(reason);
    expect(asClinic.body.statusHistory.map((h: { note?: string }) => h.note)).toContain(note);
  });
});
