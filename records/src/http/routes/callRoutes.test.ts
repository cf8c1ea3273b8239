import { appointmentSchema } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/** The call's routes over real HTTP: invitations into an appointment's call, and its events in the audit trail. */
describe('call invitations and call events', () => {
  const suite = recordsServerForSuite(['admin', 'doctor.a', 'doctor.b', 'cardio', 'cardio2', 'derma']);
  let slot = 0;
  let ipCounter = 0;

  async function book(): Promise<string> {
    const start = 8 * 60 + slot * 20;
    slot += 1;
    const at = (m: number) => tomorrowAt(Math.floor(m / 60), m % 60);
    const res = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body: cardiologyBooking(suite.f, { start: at(start), end: at(start + 15) }),
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** A call from an address of its own, and whether a refusal of it was audited. */
  async function call(
    method: string,
    path: string,
    who: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    ipCounter += 1;
    const ip = `10.18.0.${ipCounter}`;
    const res = await suite.server.call(method, path, {
      token: suite.tokens[who],
      body: options.body,
      headers: { ...options.headers, 'x-forwarded-for': ip },
    });
    const deniedAudited = (await suite.server.models.AuditEvent.exists({ ip, outcome: 'denied' })) !== null;
    return { ...res, deniedAudited };
  }

  it('invites, lets the invited read and chat but nothing else, and withdraws', async () => {
    const id = await book();
    const opened = await call('GET', `/api/appointments/${id}/consultation`, 'cardio');
    expect(opened.status).toBe(200);
    const consultationId = opened.body.id as string;

    const invited = await call('POST', `/api/appointments/${id}/invitations`, 'cardio', {
      body: { specialistId: suite.f.dermatologist.id },
    });
    expect(invited.status).toBe(201);
    expect(appointmentSchema.parse(invited.body).invitations).toEqual([
      { specialistId: suite.f.dermatologist.id, invitedBy: suite.f.cardiologist.id, at: expect.any(String) },
    ]);

    expect((await call('GET', `/api/appointments/${id}`, 'derma')).status).toBe(200);
    expect((await call('GET', `/api/appointments/${id}/consultation`, 'derma')).status).toBe(200);
    expect((await call('GET', `/api/consultations/${consultationId}`, 'derma')).status).toBe(200);
    const chat = await call('POST', `/api/consultations/${consultationId}/chat`, 'derma', {
      body: { text: 'second opinion' },
    });
    expect(chat.status).toBe(201);

    const refused = [
      await call('PATCH', `/api/consultations/${consultationId}`, 'derma', {
        body: { version: opened.body.version, changes: { findings: 'x' } },
      }),
      await call('POST', `/api/consultations/${consultationId}/sign`, 'derma', { body: { version: 0 } }),
      await call('POST', `/api/appointments/${id}/status`, 'derma', { body: { status: 'no-show' } }),
      await call('POST', `/api/appointments/${id}/invitations`, 'derma', {
        body: { specialistId: suite.f.cardiologist2.id },
      }),
      await call('POST', `/api/appointments/${id}/call-events`, 'derma', { body: { kind: 'ended' } }),
    ];
    expect(refused.map((r) => [r.status, r.body.error.code, r.deniedAudited])).toEqual(
      Array.from({ length: refused.length }, () => [403, 'FORBIDDEN', true]),
    );

    const withdrawn = await call(
      'DELETE',
      `/api/appointments/${id}/invitations/${suite.f.dermatologist.id}`,
      'cardio',
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.invitations).toEqual([]);
    const after = await call('GET', `/api/appointments/${id}`, 'derma');
    expect([after.status, after.deniedAudited]).toEqual([403, true]);
    const again = await call(
      'DELETE',
      `/api/appointments/${id}/invitations/${suite.f.dermatologist.id}`,
      'cardio',
    );
    expect([again.status, again.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('tells each reader of one appointment who they are in its call, and nothing to those not in it', async () => {
    const id = await book();
    expect(
      (
        await call('POST', `/api/appointments/${id}/invitations`, 'cardio', {
          body: { specialistId: suite.f.dermatologist.id },
        })
      ).status,
    ).toBe(201);
    const roleOf = async (who: string) => {
      const res = await call('GET', `/api/appointments/${id}`, who);
      expect(res.status, who).toBe(200);
      return appointmentSchema.parse(res.body).callRole;
    };
    expect(await roleOf('doctor.a')).toBe('clinic');
    expect(await roleOf('cardio')).toBe('booked-specialist');
    expect(await roleOf('derma')).toBe('invited-specialist');
    expect(await roleOf('admin')).toBeUndefined();
    // Lists answer no call role: it is the caller's own, and only a single read needs it.
    const list = await call('GET', '/api/appointments?limit=100', 'doctor.a');
    expect(list.body.items.some((a: { callRole?: string }) => a.callRole !== undefined)).toBe(false);
  });

  it('answers each bad invitation with a code and a message a person can act on', async () => {
    const id = await book();
    const invite = (who: string, body: unknown, appointment = id) =>
      call('POST', `/api/appointments/${appointment}/invitations`, who, { body });
    const cases = [
      ['doctor.a', { specialistId: suite.f.dermatologist.id }, 403, 'FORBIDDEN'],
      ['cardio2', { specialistId: suite.f.dermatologist.id }, 403, 'FORBIDDEN'],
      ['admin', { specialistId: suite.f.dermatologist.id }, 403, 'FORBIDDEN'],
      ['cardio', { specialistId: 'not-an-id' }, 400, 'VALIDATION_FAILED'],
      ['cardio', { specialistId: suite.f.dermatologist.id, role: 'admin' }, 400, 'VALIDATION_FAILED'],
      ['cardio', {}, 400, 'VALIDATION_FAILED'],
      ['cardio', { specialistId: suite.f.doctorB.id }, 400, 'VALIDATION_FAILED'],
      ['cardio', { specialistId: suite.f.cardiologist.id }, 400, 'VALIDATION_FAILED'],
    ] as const;
    for (const [who, body, status, code] of cases) {
      const res = await invite(who, body);
      expect([who, res.status, res.body.error?.code], JSON.stringify(body)).toEqual([who, status, code]);
      expect(res.body.error.message.length).toBeGreaterThan(5);
      if (status === 403) expect(res.deniedAudited).toBe(true);
    }
    const unknown = await invite(
      'cardio',
      { specialistId: suite.f.dermatologist.id },
      '0123456789abcdef01234567',
    );
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await invite('cardio', { specialistId: suite.f.dermatologist.id })).status).toBe(201);
    const twice = await invite('cardio', { specialistId: suite.f.dermatologist.id });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'CONFLICT']);
    const cancelled = await book();
    await call('POST', `/api/appointments/${cancelled}/status`, 'doctor.a', {
      body: { status: 'cancelled' },
    });
    const late = await invite('cardio', { specialistId: suite.f.dermatologist.id }, cancelled);
    expect([late.status, late.body.error.code]).toEqual([422, 'UNPROCESSABLE']);
  });

  it('audits call events as the verified user, labelled signaling only when the header says so', async () => {
    const id = await book();
    const viaSignaling = await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', {
      body: { kind: 'joined' },
      headers: { 'x-telemed-via': 'signaling' },
    });
    expect(viaSignaling.status).toBe(200);
    const admitted = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'admitted', participantId: suite.f.doctorA.id },
    });
    expect(admitted.status).toBe(200);
    const events = await suite.server.models.AuditEvent.find({
      resourceIds: id,
      reason: /^call (joined|admitted)/,
    })
      .sort({ at: 1, _id: 1 })
      .lean();
    expect(events.map((e) => [e.reason, e.actorId?.toHexString(), e.actorRole, e.via])).toEqual([
      ['call joined (clinic)', suite.f.doctorA.id, 'clinic_doctor', 'signaling'],
      [
        `call admitted (booked-specialist) participant ${suite.f.doctorA.id}`,
        suite.f.cardiologist.id,
        'specialist',
        'http',
      ],
    ]);

    const refusals = [
      await call('POST', `/api/appointments/${id}/call-events`, 'doctor.b', { body: { kind: 'joined' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'cardio2', { body: { kind: 'joined' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', { body: { kind: 'admitted' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'admin', { body: { kind: 'joined' } }),
    ];
    expect(refusals.map((r) => [r.status, r.deniedAudited])).toEqual(
      Array.from({ length: refusals.length }, () => [403, true]),
    );
    const bad = [
      await call('POST', `/api/appointments/${id}/call-events`, 'cardio', { body: { kind: 'danced' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
        body: { kind: 'joined', participantId: 'x' },
      }),
      await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
        body: { kind: 'joined', via: 'x' },
      }),
    ];
    expect(bad.map((r) => [r.status, r.body.error.code])).toEqual(
      Array.from({ length: bad.length }, () => [400, 'VALIDATION_FAILED']),
    );
    const unknown = await call('POST', '/api/appointments/0123456789abcdef01234567/call-events', 'cardio', {
      body: { kind: 'joined' },
    });
    expect(unknown.status).toBe(404);
  });

  /** The appointment as stored, and the audit events of the call and of its status, in order. */
  async function trailOf(id: string) {
    const stored = await suite.server.models.Appointment.findById(id).lean();
    const events = await suite.server.models.AuditEvent.find({ resourceIds: id, reason: /^call |→/ })
      .sort({ at: 1, _id: 1 })
      .lean();
    return {
      status: stored?.status,
      history: stored?.statusHistory.map((h) => h.status),
      audited: events.map((e) => [e.outcome, e.reason, e.actorId?.toHexString()]),
    };
  }

  it('moves the appointment with the call event, in one request, and answers it with the caller’s call role', async () => {
    const id = await book();
    const joined = await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', {
      body: { kind: 'joined' },
      headers: { 'x-telemed-via': 'signaling' },
    });
    expect(joined.status).toBe(200);
    const waiting = appointmentSchema.parse(joined.body);
    expect([waiting.id, waiting.status, waiting.callRole]).toEqual([id, 'waiting', 'clinic']);
    expect(waiting.waitingSince).toBe(waiting.statusHistory.at(-1)?.at);
    expect(waiting.statusHistory.at(-1)?.note).toBe('The clinic entered the waiting room.');

    // The clinic joining again (another of its doctors, a reload) and the specialist joining move nothing.
    const again = await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', {
      body: { kind: 'joined' },
    });
    expect([again.status, again.body.status, again.body.waitingSince]).toEqual([
      200,
      'waiting',
      waiting.waitingSince,
    ]);
    const specialist = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'joined' },
    });
    expect([specialist.status, specialist.body.status, specialist.body.callRole]).toEqual([
      200,
      'waiting',
      'booked-specialist',
    ]);

    const admitted = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'admitted', participantId: suite.f.doctorA.id },
    });
    expect([admitted.status, admitted.body.status, admitted.body.callRole]).toEqual([
      200,
      'in-progress',
      'booked-specialist',
    ]);
    expect(admitted.body.specialistJoinedAt).toEqual(expect.any(String));
    // A second admission (someone who rejoined) finds it started and moves nothing.
    const readmitted = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'admitted', participantId: suite.f.doctorA.id },
    });
    expect([readmitted.status, readmitted.body.status]).toEqual([200, 'in-progress']);
    const left = await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', {
      body: { kind: 'left' },
    });
    expect([left.status, left.body.status]).toEqual([200, 'in-progress']);

    const ended = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'ended' },
    });
    expect([ended.status, ended.body.status, ended.body.completedAt]).toEqual([
      200,
      'completed',
      expect.any(String),
    ]);

    // Each step that moved the appointment is audited with its status change: the event, then the change.
    const trail = await trailOf(id);
    expect(trail.history).toEqual(['scheduled', 'waiting', 'in-progress', 'completed']);
    expect(trail.audited).toEqual([
      ['success', 'call joined (clinic)', suite.f.doctorA.id],
      ['success', 'scheduled → waiting', suite.f.doctorA.id],
      ['success', 'call joined (clinic)', suite.f.doctorA.id],
      ['success', 'call joined (booked-specialist)', suite.f.cardiologist.id],
      [
        'success',
        `call admitted (booked-specialist) participant ${suite.f.doctorA.id}`,
        suite.f.cardiologist.id,
      ],
      ['success', 'waiting → in-progress', suite.f.cardiologist.id],
      [
        'success',
        `call admitted (booked-specialist) participant ${suite.f.doctorA.id}`,
        suite.f.cardiologist.id,
      ],
      ['success', 'call left (clinic)', suite.f.doctorA.id],
      ['success', 'call ended (booked-specialist)', suite.f.cardiologist.id],
      ['success', 'in-progress → completed', suite.f.cardiologist.id],
    ]);
  });

  it('moves nothing on a refused call event, and audits the refusal', async () => {
    const id = await book();
    // Not theirs: another clinic, another specialist, the clinic admitting or ending.
    const refused = [
      await call('POST', `/api/appointments/${id}/call-events`, 'doctor.b', { body: { kind: 'joined' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'cardio2', { body: { kind: 'joined' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', { body: { kind: 'admitted' } }),
      await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', { body: { kind: 'ended' } }),
    ];
    expect(refused.map((r) => [r.status, r.body.error.code, r.deniedAudited])).toEqual(
      Array.from({ length: refused.length }, () => [403, 'FORBIDDEN', true]),
    );
    // Not yet: ending a call nobody was admitted into is no consultation (waiting → completed is no step).
    await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', { body: { kind: 'joined' } });
    const early = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'ended' },
    });
    expect([early.status, early.body.error.code, early.deniedAudited]).toEqual([422, 'UNPROCESSABLE', true]);
    const trail = await trailOf(id);
    expect([trail.status, trail.history]).toEqual(['waiting', ['scheduled', 'waiting']]);
    // The refused end is in the trail as a refusal, not as an event of the call.
    expect(trail.audited.filter(([, reason]) => reason?.startsWith('call ended'))).toEqual([]);
  });

  it('refuses, and audits, an admission into a cancelled appointment’s call, which stays cancelled', async () => {
    const id = await book();
    await call('POST', `/api/appointments/${id}/call-events`, 'doctor.a', { body: { kind: 'joined' } });
    const cancelled = await call('POST', `/api/appointments/${id}/status`, 'doctor.a', {
      body: { status: 'cancelled' },
    });
    expect(cancelled.status).toBe(200);
    const admitted = await call('POST', `/api/appointments/${id}/call-events`, 'cardio', {
      body: { kind: 'admitted', participantId: suite.f.doctorA.id },
    });
    expect([admitted.status, admitted.body.error.code, admitted.deniedAudited]).toEqual([
      422,
      'UNPROCESSABLE',
      true,
    ]);
    expect(admitted.body.error.message).toContain('cancelled');
    const denied = await suite.server.models.AuditEvent.findOne({
      resourceIds: id,
      outcome: 'denied',
      actorId: suite.f.cardiologist._id,
    }).lean();
    expect([denied?.action, denied?.reason]).toEqual(['update', admitted.body.error.message]);
    const trail = await trailOf(id);
    expect([trail.status, trail.history]).toEqual(['cancelled', ['scheduled', 'waiting', 'cancelled']]);
    expect(trail.audited.some(([, reason]) => reason?.startsWith('call admitted'))).toBe(false);
  });

  it('lists a specialist’s waiting appointments, urgent requests they took among them, with since when', async () => {
    const id = await book();
    const waiting = await call('POST', `/api/appointments/${id}/status`, 'doctor.a', {
      body: { status: 'waiting' },
    });
    expect(waiting.status).toBe(200);
    const urgent = await call('POST', '/api/urgent-requests', 'doctor.a', {
      body: { patientId: suite.f.patientA.id, specialty: 'cardiology', reason: 'chest pain' },
    });
    expect((await call('POST', `/api/urgent-requests/${urgent.body.id}/pick`, 'cardio')).status).toBe(200);
    const list = await call('GET', '/api/appointments?status=waiting', 'cardio');
    expect(list.status).toBe(200);
    const items = list.body.items.map((a: unknown) => appointmentSchema.parse(a));
    const since = new Map(items.map((a: { id: string; waitingSince?: string }) => [a.id, a.waitingSince]));
    expect(since.get(id)).toBe(waiting.body.waitingSince);
    expect(since.get(urgent.body.id)).toBe(urgent.body.waitingSince);
    expect(waiting.body.waitingSince).toEqual(expect.any(String));
    expect(urgent.body.waitingSince).toEqual(expect.any(String));
    // Another specialist's waiting list does not show them.
    const other = await call('GET', '/api/appointments?status=waiting', 'cardio2');
    expect(other.body.items.map((a: { id: string }) => a.id)).not.toContain(id);
  });
});
