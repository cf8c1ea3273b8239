import { describe, expect, it } from 'vitest';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

const appointmentId = '0123456789abcdef01234567';

/** `POST /api/signaling-refusals` over real HTTP: signaling's own refusals in records' audit trail. */
describe('refusals signaling reports', () => {
  const suite = recordsServerForSuite(['doctor.a', 'cardio', 'derma', 'auditor']);

  const report = (who: string | undefined, body: unknown) =>
    suite.server.call('POST', '/api/signaling-refusals', {
      token: who ? suite.tokens[who] : undefined,
      body,
      headers: { 'x-telemed-via': 'signaling', 'x-forwarded-for': '10.19.0.1' },
    });

  const deniedOf = (actorId: string) =>
    suite.server.models.AuditEvent.find({ actorId, outcome: 'denied', reason: /^signaling refused/ })
      .sort({ at: 1, _id: 1 })
      .lean();

  it('writes the refusal as the token’s user, denied, through signaling, on the appointment it names', async () => {
    const res = await report('doctor.a', {
      event: 'room:admit',
      code: 'FORBIDDEN',
      appointmentId,
      message: 'Only the consultation’s specialist may do this.',
    });
    expect(res.status).toBe(204);
    const noRoom = await report('doctor.a', { event: 'waiting:list', code: 'FORBIDDEN' });
    expect(noRoom.status).toBe(204);
    const events = await deniedOf(suite.f.doctorA.id);
    expect(
      events.map((e) => [e.actorRole, e.action, e.resourceType, e.resourceIds, e.via, e.ip, e.reason]),
    ).toEqual([
      [
        'clinic_doctor',
        'update',
        'appointments',
        [appointmentId],
        'signaling',
        '10.19.0.1',
        'signaling refused room:admit (FORBIDDEN): Only the consultation’s specialist may do this.',
      ],
      [
        'clinic_doctor',
        'update',
        'signaling-events',
        [],
        'signaling',
        '10.19.0.1',
        'signaling refused waiting:list (FORBIDDEN)',
      ],
    ]);
  });

  it('writes a few refusals per user and minute, so that a flood of refused events cannot fill the trail', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        report('cardio', { event: 'media:consume', code: 'ROOM_NOT_JOINED', message: `try ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 30 }, () => 204));
    expect(await deniedOf(suite.f.cardiologist.id)).toHaveLength(10);
    // Another user's reports have a window of their own: one flood does not silence the others.
    expect((await report('derma', { event: 'room:end', code: 'FORBIDDEN', appointmentId })).status).toBe(204);
    expect(await deniedOf(suite.f.dermatologist.id)).toHaveLength(1);
  });

  it('answers a bad report with VALIDATION_FAILED and writes nothing, and no token with 401', async () => {
    const before = await deniedOf(suite.f.auditor.id);
    const bad = [
      { event: 'room:admit' },
      { event: 'Room Admit!', code: 'FORBIDDEN' },
      { event: 'room:admit', code: 'NO_SUCH_CODE' },
      { event: 'room:admit', code: 'FORBIDDEN', appointmentId: 'x' },
      { event: 'room:admit', code: 'FORBIDDEN', message: 'x'.repeat(301) },
      { event: 'room:admit', code: 'FORBIDDEN', actorId: suite.f.doctorA.id },
    ];
    for (const body of bad) {
      const res = await report('auditor', body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    expect(await deniedOf(suite.f.auditor.id)).toEqual(before);
    expect((await report(undefined, { event: 'room:admit', code: 'FORBIDDEN' })).status).toBe(401);
  });
});
