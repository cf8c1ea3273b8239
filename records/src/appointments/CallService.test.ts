import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationService } from '../consultations/ConsultationService.js';
import { createRecordsServices } from '../RecordsServices.js';
import { errorCodeOf } from '../testing/errorCodeOf.js';
import { cardiologyBooking, createFixtures, type Fixtures, tomorrowAt } from '../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { serviceCaller } from '../testing/serviceCallers.js';
import type { AppointmentService } from './AppointmentService.js';
import type { CallService } from './CallService.js';

/** Who may be in an appointment's call, and what happened in it, as signaling asks records: on the real store. */
describe('CallService', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  let calls: CallService;
  let appointments: AppointmentService;
  let consultations: ConsultationService;
  let minute = 0;

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    ({ calls, appointments, consultations } = createRecordsServices(server));
  });
  afterAll(() => server?.stop());

  const codeOf = errorCodeOf;
  const clinic = () => serviceCaller(f.doctorA);
  const host = () => serviceCaller(f.cardiologist);
  const invited = () => serviceCaller(f.dermatologist);
  const outsider = () => serviceCaller(f.cardiologist2);

  /** A new appointment of clinic A with the cardiologist, in its own 20-minute slot. */
  async function book() {
    const start = 8 * 60 + minute;
    minute += 20;
    const at = (m: number) => tomorrowAt(Math.floor(m / 60), m % 60);
    const input = cardiologyBooking(f, { start: at(start), end: at(start + 15) });
    return appointments.book(clinic(), input as never);
  }

  const deniedEvents = (resourceId: string | undefined, actorId: string) =>
    server.models.AuditEvent.countDocuments({
      ...(resourceId ? { resourceIds: resourceId } : {}),
      actorId,
      outcome: 'denied',
    });

  it('lists an invitation on the appointment (who, by whom, when) and audits it and its withdrawal', async () => {
    const appointment = await book();
    const before = Date.now();
    const answer = await calls.invite(host(), appointment.id, f.dermatologist.id);
    expect(answer.invitations).toEqual([
      { specialistId: f.dermatologist.id, invitedBy: f.cardiologist.id, at: expect.any(String) },
    ]);
    expect(Date.parse(answer.invitations?.[0]?.at ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect((await appointments.read(host(), appointment.id)).invitations).toHaveLength(1);
    const withdrawn = await calls.withdraw(host(), appointment.id, f.dermatologist.id);
    expect(withdrawn.invitations).toEqual([]);
    const events = await server.models.AuditEvent.find({
      resourceIds: appointment.id,
      reason: /call invitation/,
    })
      .sort({ at: 1 })
      .lean();
    expect(events.map((e) => [e.action, e.reason, e.actorId?.toHexString(), e.via, e.outcome])).toEqual([
      [
        'create',
        `call invitation: specialist ${f.dermatologist.id} invited`,
        f.cardiologist.id,
        'signaling',
        'success',
      ],
      [
        'delete',
        `call invitation: specialist ${f.dermatologist.id} withdrawn`,
        f.cardiologist.id,
        'signaling',
        'success',
      ],
    ]);
    expect(events.every((e) => e.patientIds.map(String).includes(f.patientA.id))).toBe(true);
  });

  it('lets an invited specialist read the appointment and its consultation as a party, and chat, nothing else', async () => {
    const appointment = await book();
    const opened = await consultations.openForAppointment(host(), appointment.id);
    await appointments.changeStatus(clinic(), appointment.id, { status: 'waiting' });
    // Not yet invited: refused, and audited.
    expect(await codeOf(appointments.read(invited(), appointment.id))).toBe('FORBIDDEN');
    expect(await codeOf(consultations.read(invited(), opened.id))).toBe('FORBIDDEN');
    expect(await codeOf(consultations.appendChat(invited(), opened.id, 'hello'))).toBe('FORBIDDEN');

    await calls.invite(host(), appointment.id, f.dermatologist.id);
    expect((await appointments.read(invited(), appointment.id)).id).toBe(appointment.id);
    expect((await consultations.openForAppointment(invited(), appointment.id)).id).toBe(opened.id);
    expect((await consultations.read(invited(), opened.id)).id).toBe(opened.id);
    const message = await consultations.appendChat(invited(), opened.id, 'a second opinion: looks benign');
    expect(message.authorId).toBe(f.dermatologist.id);
    const reads = await server.models.AuditEvent.find({
      resourceIds: opened.id,
      actorId: f.dermatologist._id,
      outcome: 'success',
    }).lean();
    // Read as a party (resourceType consultation), not as history; and the chat message.
    expect(reads.map((e) => `${e.action} ${e.resourceType}`).sort()).toEqual([
      'read consultation',
      'read consultation',
      'update consultation',
    ]);

    // Nothing else: no edits, no signing, no status changes, no inviting, no attachments.
    const deniedBefore = await deniedEvents(undefined, f.dermatologist.id);
    expect(
      await codeOf(
        consultations.update(invited(), opened.id, { version: opened.version, changes: { findings: 'x' } }),
      ),
    ).toBe('FORBIDDEN');
    expect(await codeOf(consultations.sign(invited(), opened.id, opened.version))).toBe('FORBIDDEN');
    expect(
      await codeOf(
        consultations.attach(invited(), opened.id, {
          contentType: 'application/pdf',
          fileName: 'a.pdf',
          body: Buffer.from('%PDF-1.4\n'),
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(appointments.changeStatus(invited(), appointment.id, { status: 'in-progress' })),
    ).toBe('FORBIDDEN');
    expect(await codeOf(appointments.changeStatus(invited(), appointment.id, { status: 'no-show' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(calls.invite(invited(), appointment.id, f.cardiologist2.id))).toBe('FORBIDDEN');
    expect((await appointments.read(host(), appointment.id)).status).toBe('waiting');
    expect(await deniedEvents(undefined, f.dermatologist.id)).toBe(deniedBefore + 6);

    // Withdrawn: the access goes with the invitation.
    await calls.withdraw(host(), appointment.id, f.dermatologist.id);
    expect(await codeOf(appointments.read(invited(), appointment.id))).toBe('FORBIDDEN');
    expect(await codeOf(consultations.read(invited(), opened.id))).toBe('FORBIDDEN');
    expect(await codeOf(consultations.appendChat(invited(), opened.id, 'still here?'))).toBe('FORBIDDEN');
  });

  it('refuses invitations by anyone but the booked specialist, of anyone but another active specialist', async () => {
    const appointment = await book();
    expect(await codeOf(calls.invite(clinic(), appointment.id, f.dermatologist.id))).toBe('FORBIDDEN');
    expect(await codeOf(calls.invite(outsider(), appointment.id, f.dermatologist.id))).toBe('FORBIDDEN');
    expect(await codeOf(calls.invite(serviceCaller(f.admin), appointment.id, f.dermatologist.id))).toBe(
      'FORBIDDEN',
    );
    expect(await deniedEvents(appointment.id, f.cardiologist2.id)).toBe(1);
    expect(await codeOf(calls.invite(host(), appointment.id, f.cardiologist.id))).toBe('VALIDATION_FAILED');
    expect(await codeOf(calls.invite(host(), appointment.id, f.doctorB.id))).toBe('VALIDATION_FAILED');
    const retired = await server.models.User.create({
      username: 'retired.specialist',
      passwordHash: 'x',
      role: 'specialist',
      specialty: 'dermatology',
      organizationId: f.hospital._id,
      name: { ar: 'متقاعد', latin: 'Retired' },
      active: false,
    });
    expect(await codeOf(calls.invite(host(), appointment.id, retired.id))).toBe('VALIDATION_FAILED');
    expect(await codeOf(calls.invite(host(), '0123456789abcdef01234567', f.dermatologist.id))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(calls.invite(host(), 'not-an-id', f.dermatologist.id))).toBe('NOT_FOUND');

    await calls.invite(host(), appointment.id, f.dermatologist.id);
    expect(await codeOf(calls.invite(host(), appointment.id, f.dermatologist.id))).toBe('CONFLICT');
    const twice = await Promise.all([
      codeOf(calls.invite(host(), appointment.id, f.cardiologist2.id)),
      codeOf(calls.invite(host(), appointment.id, f.cardiologist2.id)),
    ]);
    expect(twice.sort()).toEqual(['CONFLICT', 'resolved']);
    expect((await appointments.read(host(), appointment.id)).invitations).toHaveLength(2);

    expect(await codeOf(calls.withdraw(outsider(), appointment.id, f.dermatologist.id))).toBe('FORBIDDEN');
    expect(await codeOf(calls.withdraw(invited(), appointment.id, f.dermatologist.id))).toBe('FORBIDDEN');
    expect(await codeOf(calls.withdraw(host(), appointment.id, f.admin.id))).toBe('NOT_FOUND');
  });

  it('refuses an invitation into the call of a completed, cancelled or no-show appointment', async () => {
    const cancelled = await book();
    await appointments.changeStatus(clinic(), cancelled.id, { status: 'cancelled' });
    expect(await codeOf(calls.invite(host(), cancelled.id, f.dermatologist.id))).toBe('UNPROCESSABLE');
    const done = await book();
    await appointments.changeStatus(clinic(), done.id, { status: 'waiting' });
    await appointments.changeStatus(host(), done.id, { status: 'in-progress' });
    // In progress: still open to a second opinion.
    await calls.invite(host(), done.id, f.dermatologist.id);
    await appointments.changeStatus(host(), done.id, { status: 'completed' });
    expect(await codeOf(calls.invite(host(), done.id, f.cardiologist2.id))).toBe('UNPROCESSABLE');
  });

  it('audits joins, admits, leaves and ends of those who may be in the call, and refuses the others', async () => {
    const appointment = await book();
    await calls.invite(host(), appointment.id, f.dermatologist.id);
    await calls.recordEvent(clinic(), appointment.id, { kind: 'joined' });
    await calls.recordEvent(host(), appointment.id, { kind: 'joined' });
    await calls.recordEvent(host(), appointment.id, { kind: 'admitted', participantId: f.doctorA.id });
    await calls.recordEvent(invited(), appointment.id, { kind: 'joined' });
    await calls.recordEvent(invited(), appointment.id, { kind: 'left' });
    const ended = await calls.recordEvent(host(), appointment.id, { kind: 'ended' });
    expect([ended.status, ended.callRole]).toEqual(['completed', 'booked-specialist']);
    const events = await server.models.AuditEvent.find({
      resourceIds: appointment.id,
      reason: /^call (joined|admitted|left|ended)/,
    })
      .sort({ at: 1, _id: 1 })
      .lean();
    expect(events.map((e) => [e.action, e.reason, e.actorId?.toHexString(), e.via])).toEqual([
      ['update', 'call joined (clinic)', f.doctorA.id, 'signaling'],
      ['update', 'call joined (booked-specialist)', f.cardiologist.id, 'signaling'],
      [
        'update',
        `call admitted (booked-specialist) participant ${f.doctorA.id}`,
        f.cardiologist.id,
        'signaling',
      ],
      ['update', 'call joined (invited-specialist)', f.dermatologist.id, 'signaling'],
      ['update', 'call left (invited-specialist)', f.dermatologist.id, 'signaling'],
      ['update', 'call ended (booked-specialist)', f.cardiologist.id, 'signaling'],
    ]);
    expect(events.every((e) => e.patientIds.map(String).includes(f.patientA.id))).toBe(true);

    // Not in the call at all, or not theirs to admit or end.
    expect(await codeOf(calls.recordEvent(outsider(), appointment.id, { kind: 'joined' }))).toBe('FORBIDDEN');
    expect(
      await codeOf(calls.recordEvent(serviceCaller(f.doctorB), appointment.id, { kind: 'joined' })),
    ).toBe('FORBIDDEN');
    expect(await codeOf(calls.recordEvent(serviceCaller(f.admin), appointment.id, { kind: 'joined' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(calls.recordEvent(clinic(), appointment.id, { kind: 'admitted' }))).toBe('FORBIDDEN');
    expect(await codeOf(calls.recordEvent(invited(), appointment.id, { kind: 'ended' }))).toBe('FORBIDDEN');
    expect(await codeOf(calls.recordEvent(invited(), appointment.id, { kind: 'admitted' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(calls.recordEvent(host(), 'nope', { kind: 'joined' }))).toBe('NOT_FOUND');
    expect(await deniedEvents(appointment.id, f.cardiologist2.id)).toBe(1);
    expect(await deniedEvents(appointment.id, f.dermatologist.id)).toBe(2);
    expect(await deniedEvents(appointment.id, f.doctorA.id)).toBe(1);

    // Over: nobody joins, is admitted or ends any more; leaving is still recorded.
    const missed = await book();
    await appointments.changeStatus(clinic(), missed.id, { status: 'no-show' });
    for (const [caller, kind] of [
      [clinic(), 'joined'],
      [host(), 'admitted'],
      [host(), 'ended'],
    ] as const) {
      expect(await codeOf(calls.recordEvent(caller, missed.id, { kind })), kind).toBe('UNPROCESSABLE');
    }
    expect((await calls.recordEvent(clinic(), missed.id, { kind: 'left' })).status).toBe('no-show');
  });

  it('tells since when an appointment waits, and lists a specialist’s waiting ones with the urgent requests they took', async () => {
    const booked = await book();
    expect(booked.waitingSince).toBeUndefined();
    const waiting = await appointments.changeStatus(clinic(), booked.id, { status: 'waiting' });
    expect(waiting.waitingSince).toBe(waiting.statusHistory.at(-1)?.at);
    const urgent = await appointments.requestUrgent(clinic(), {
      patientId: f.patientA.id,
      specialty: 'cardiology',
      reason: 'chest pain',
    });
    expect(urgent.waitingSince).toBe(urgent.statusHistory[0]?.at);
    await appointments.pick(host(), urgent.id);
    const list = await appointments.list(host(), { status: 'waiting' }, { page: 1, limit: 50 });
    const byId = new Map(list.items.map((a) => [a.id, a]));
    expect(byId.get(booked.id)?.waitingSince).toBe(waiting.waitingSince);
    expect(byId.get(urgent.id)?.waitingSince).toBe(urgent.waitingSince);
    expect(list.items.every((a) => a.status === 'waiting' && a.specialistId === f.cardiologist.id)).toBe(
      true,
    );
    const started = await appointments.changeStatus(host(), booked.id, { status: 'in-progress' });
    // It waited from then on: the wait-time report and the list read the same moment.
    expect(started.waitingSince).toBe(waiting.waitingSince);
  });
});
