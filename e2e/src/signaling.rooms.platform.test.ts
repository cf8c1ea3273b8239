import type { Appointment, RoomParticipant, SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { askUntil } from './testing/askUntil.js';
import { platformForSuite } from './testing/platformForSuite.js';
import {
  nextNotification as next,
  type PayloadOf,
  recordNotifications as record,
  request,
  requestByName,
} from './testing/signalingClient.js';

/**
 * Consultation rooms and the waiting room through the real signaling server, with records deciding who may
 * enter and holding every status change: the whole platform started as `npm start` starts it.
 */
describe('consultation rooms and the waiting room, with the real records service', () => {
  const suite = platformForSuite('rooms');
  let clinic: SessionResponse;
  let otherClinic: SessionResponse;
  let specialist: SessionResponse;
  let otherSpecialist: SessionResponse;
  /** Scheduled appointments of `clinic` booked with `specialist`, each test taking its own. */
  let appointments: Appointment[];

  beforeAll(async () => {
    [clinic, otherClinic, specialist, otherSpecialist] = await Promise.all([
      suite.signIn('clinic_doctor', 0),
      suite.signIn('clinic_doctor', 1),
      suite.signIn('specialist', 0),
      suite.signIn('specialist', 1),
    ]);
    appointments = await suite.scheduledAppointments(clinic, specialist, 5);
  });

  const statusOf = (appointmentId: string) => suite.statusOf(appointmentId, clinic);

  /** Asks until the answer is not empty: audit events may be written just after the answer they record. */
  const eventually = <T>(ask: () => Promise<T[]>) => askUntil(ask, (found) => found.length > 0);

  it('runs the waiting room: join and wait, seen live by the specialist, admit, state to both, end', async () => {
    const appointmentId = appointments[0]!.id;
    const specialistSocket = await suite.connect(specialist);
    const clinicSocket = await suite.connect(clinic);

    const seenWaiting = next(specialistSocket, 'waiting:changed', ({ waiting }) =>
      waiting.some((w) => w.appointmentId === appointmentId),
    );
    const joined = await request(clinicSocket).emitWithAck('room:join', { appointmentId });
    expect(joined).toMatchObject({
      ok: true,
      data: {
        appointmentId,
        appointmentStatus: 'waiting',
        participants: [{ participantId: clinic.user.id, role: 'clinic_doctor', status: 'waiting' }],
      },
    });
    expect(await statusOf(appointmentId)).toBe('waiting');
    const { waiting } = await seenWaiting;
    const entry = waiting.find((w) => w.appointmentId === appointmentId);
    expect(entry).toMatchObject({ participantId: clinic.user.id });
    expect(Date.now() - Date.parse(entry?.since ?? '')).toBeLessThan(5 * 60_000);
    expect(await request(specialistSocket).emitWithAck('waiting:list')).toEqual({
      ok: true,
      data: { waiting },
    });

    const clinicSeesSpecialist = next(clinicSocket, 'room:participant-joined');
    const specialistJoined = await request(specialistSocket).emitWithAck('room:join', { appointmentId });
    expect(specialistJoined).toMatchObject({
      ok: true,
      data: {
        participants: [
          { participantId: clinic.user.id, status: 'waiting' },
          { participantId: specialist.user.id, role: 'specialist', status: 'joined' },
        ],
      },
    });
    expect((await clinicSeesSpecialist).participant).toMatchObject({ participantId: specialist.user.id });

    const bothJoined = (state: PayloadOf<'room:state'>) =>
      state.appointmentStatus === 'in-progress' && state.participants.every((p) => p.status === 'joined');
    const states = [
      next(clinicSocket, 'room:state', bothJoined),
      next(specialistSocket, 'room:state', bothJoined),
    ];
    const admittedNotice = next(clinicSocket, 'room:admitted');
    const waitingCleared = next(specialistSocket, 'waiting:changed', (list) =>
      list.waiting.every((w) => w.appointmentId !== appointmentId),
    );
    const admitted = await request(specialistSocket).emitWithAck('room:admit', {
      appointmentId,
      participantId: clinic.user.id,
    });
    expect(admitted).toMatchObject({ ok: true, data: { appointmentStatus: 'in-progress' } });
    const [clinicState, specialistState] = await Promise.all(states);
    expect(clinicState).toEqual(specialistState);
    expect(clinicState?.participants).toHaveLength(2);
    expect((await admittedNotice).participant).toMatchObject({
      participantId: clinic.user.id,
      status: 'joined',
    });
    await waitingCleared;
    const inProgress = await suite
      .recordsAs(clinic)
      .call('getAppointment', { params: { id: appointmentId } });
    expect(inProgress.status).toBe('in-progress');
    expect(inProgress.specialistJoinedAt).toBeDefined();

    const ended = next(clinicSocket, 'room:ended');
    const endAck = await request(specialistSocket).emitWithAck('room:end', { appointmentId });
    expect(endAck).toMatchObject({ ok: true, data: { appointmentStatus: 'completed', participants: [] } });
    expect(await ended).toEqual({ appointmentId, appointmentStatus: 'completed' });
    expect(await statusOf(appointmentId)).toBe('completed');
    // Each status change and each step of the call is records' own audit event, by the user whose token made
    // it, labelled as coming through signaling.
    const auditor = suite.recordsAs(await suite.signIn('auditor'));
    const events = await eventually(async () => {
      const page = await auditor.call('listAuditEvents', {
        query: { outcome: 'success', from: new Date(Date.now() - 10 * 60_000).toISOString(), limit: 100 },
      });
      const updates = page.items.filter(
        (e) => e.action === 'update' && e.resourceIds.includes(appointmentId),
      );
      return updates.length >= 7 ? updates : [];
    });
    expect(events.every((e) => e.via === 'signaling')).toBe(true);
    const changes = events.filter((e) => e.reason?.includes('→'));
    expect(changes.map((e) => [e.actorId, e.reason]).sort()).toEqual(
      [
        [clinic.user.id, 'scheduled → waiting'],
        [specialist.user.id, 'waiting → in-progress'],
        [specialist.user.id, 'in-progress → completed'],
      ].sort(),
    );
    const callSteps = events.filter((e) => e.reason?.startsWith('call '));
    expect(callSteps.map((e) => [e.actorId, e.reason?.split(' ')[1]]).sort()).toEqual(
      [
        [clinic.user.id, 'joined'],
        [specialist.user.id, 'joined'],
        [specialist.user.id, 'admitted'],
        [specialist.user.id, 'ended'],
      ].sort(),
    );

    // The room is gone, and a completed appointment's room does not open again.
    expect(await request(clinicSocket).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    expect(await request(clinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'UNPROCESSABLE' },
    });
    expect(suite.died).toEqual([]);
  });

  it('refuses who may not enter: administrator, auditor, another clinic, a specialist not booked, unknown and malformed ids', async () => {
    const appointmentId = appointments[1]!.id;
    for (const role of ['administrator', 'auditor'] as const) {
      const socket = await suite.connect(await suite.signIn(role));
      expect(await request(socket).emitWithAck('room:join', { appointmentId })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await request(socket).emitWithAck('waiting:list')).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    // Records refuses these itself (and audits the refusal): signaling passes its answer on.
    const otherClinicSocket = await suite.connect(otherClinic);
    expect(await request(otherClinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const otherSpecialistSocket = await suite.connect(otherSpecialist);
    expect(await request(otherSpecialistSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const clinicSocket = await suite.connect(clinic);
    expect(
      await request(clinicSocket).emitWithAck('room:join', { appointmentId: '0123456789abcdef01234567' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const payload of [
      {},
      { appointmentId: 'x' },
      { appointmentId: { $ne: null } },
      [appointmentId],
      7,
    ]) {
      expect(await requestByName(clinicSocket, 'room:join', payload)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(await statusOf(appointmentId)).toBe('scheduled');
    // Records audited the other clinic's refused read, made with that doctor's own token.
    const auditor = suite.recordsAs(await suite.signIn('auditor'));
    const refusals = await eventually(async () => {
      const page = await auditor.call('listAuditEvents', {
        query: { actorId: otherClinic.user.id, outcome: 'denied', limit: 100 },
      });
      return page.items.filter((e) => e.resourceIds.includes(appointmentId));
    });
    expect(refusals[0]).toMatchObject({ actorRole: 'clinic_doctor', outcome: 'denied' });
    expect(suite.died).toEqual([]);
  });

  it('lists who waits for the specialist across their appointments and clinics, longest first, live', async () => {
    const ownAppointment = appointments[3]!.id;
    const otherPage = await suite.recordsAs(otherClinic).call('listAppointments', {
      query: { specialistId: specialist.user.id, status: 'scheduled', limit: 1 },
    });
    const otherAppointment = otherPage.items[0]!.id;
    const specialistSocket = await suite.connect(specialist);
    const clinicSocket = await suite.connect(clinic);
    const otherClinicSocket = await suite.connect(otherClinic);
    const waitingIn = (list: PayloadOf<'waiting:changed'>) => list.waiting.map((w) => w.appointmentId);

    expect(
      await request(clinicSocket).emitWithAck('room:join', { appointmentId: ownAppointment }),
    ).toMatchObject({
      ok: true,
    });
    const bothWaiting = next(specialistSocket, 'waiting:changed', (list) =>
      waitingIn(list).includes(otherAppointment),
    );
    expect(
      await request(otherClinicSocket).emitWithAck('room:join', { appointmentId: otherAppointment }),
    ).toMatchObject({ ok: true });
    const live = await bothWaiting;
    expect(waitingIn(live)).toEqual([ownAppointment, otherAppointment]);
    expect(live.waiting.map((w) => w.participantId)).toEqual([clinic.user.id, otherClinic.user.id]);
    expect(await request(specialistSocket).emitWithAck('waiting:list')).toEqual({ ok: true, data: live });
    // Another specialist's list does not show them.
    const otherSpecialistSocket = await suite.connect(otherSpecialist);
    expect(await request(otherSpecialistSocket).emitWithAck('waiting:list')).toEqual({
      ok: true,
      data: { waiting: [] },
    });

    const oneLeft = next(
      specialistSocket,
      'waiting:changed',
      (list) => !waitingIn(list).includes(ownAppointment),
    );
    expect(await request(clinicSocket).emitWithAck('room:leave', { appointmentId: ownAppointment })).toEqual({
      ok: true,
      data: { left: true },
    });
    expect(waitingIn(await oneLeft)).toEqual([otherAppointment]);
    // Leaving the waiting room does not move the appointment back: records has no waiting → scheduled.
    expect(await statusOf(ownAppointment)).toBe('waiting');
    const noneLeft = next(specialistSocket, 'waiting:changed', (list) => list.waiting.length === 0);
    otherClinicSocket.disconnect();
    await noneLeft;
    expect(suite.died).toEqual([]);
  });

  it('leaves no one behind when a socket drops while records is still answering its join', async () => {
    const appointmentId = appointments[4]!.id;
    const specialistSocket = await suite.connect(specialist);
    for (let attempt = 0; attempt < 3; attempt++) {
      const clinicSocket = await suite.connect(clinic);
      // The close follows the join on the same connection, so it arrives while records is being asked.
      clinicSocket.emit('room:join', { appointmentId }, () => undefined);
      clinicSocket.disconnect();
    }
    await eventually(async () => ((await statusOf(appointmentId)) === 'waiting' ? [true] : []));
    // Let any join still in flight finish; then nobody may be left waiting, or in the room.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await request(specialistSocket).emitWithAck('waiting:list')).toEqual({
      ok: true,
      data: { waiting: [] },
    });
    const joined = await request(specialistSocket).emitWithAck('room:join', { appointmentId });
    expect(joined.ok && joined.data.participants.map((p: RoomParticipant) => p.participantId)).toEqual([
      specialist.user.id,
    ]);
    expect(suite.died).toEqual([]);
  });

  it('refuses events out of order, replaces a participant who reconnects, and closes a room nobody is in', async () => {
    const appointmentId = appointments[2]!.id;
    const clinicSocket = await suite.connect(clinic);
    const specialistSocket = await suite.connect(specialist);
    expect(await request(clinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
    });
    const waitingSince = (await request(specialistSocket).emitWithAck('waiting:list')) as {
      data: { waiting: Array<{ appointmentId: string; since: string }> };
    };
    const since = waitingSince.data.waiting.find((w) => w.appointmentId === appointmentId)?.since;
    expect(since).toBeDefined();

    // Admit before the specialist joined; the clinic admitting or ending; admitting someone not waiting.
    const admitClinic = { appointmentId, participantId: clinic.user.id };
    expect(await request(specialistSocket).emitWithAck('room:admit', admitClinic)).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    expect(await request(clinicSocket).emitWithAck('room:admit', admitClinic)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(clinicSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(specialistSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
    });
    expect(
      await request(specialistSocket).emitWithAck('room:admit', {
        appointmentId,
        participantId: specialist.user.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'PARTICIPANT_NOT_WAITING' } });
    expect(
      await request(specialistSocket).emitWithAck('room:admit', {
        appointmentId,
        participantId: otherClinic.user.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'PARTICIPANT_NOT_WAITING' } });
    // Records' lifecycle: a consultation that never started cannot be completed.
    expect(await request(specialistSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'UNPROCESSABLE' },
    });
    expect(await statusOf(appointmentId)).toBe('waiting');

    // The clinic comes back on a new socket: it takes the old one's place, still waiting since the same time.
    const oldSocketEvents = record(clinicSocket);
    const replaced = next(clinicSocket, 'room:participant-left');
    const specialistHearsBack = next(specialistSocket, 'room:participant-back');
    const newClinicSocket = await suite.connect(clinic);
    const rejoined = await request(newClinicSocket).emitWithAck('room:join', { appointmentId });
    expect(rejoined).toMatchObject({ ok: true });
    expect(await replaced).toEqual({ appointmentId, participantId: clinic.user.id, reason: 'replaced' });
    // The others were told "reconnecting" when its link dropped; a rejoin tells them it is back.
    expect(await specialistHearsBack).toEqual({ appointmentId, participantId: clinic.user.id });
    const participants: RoomParticipant[] = rejoined.ok ? rejoined.data.participants : [];
    expect(participants.filter((p) => p.participantId === clinic.user.id)).toEqual([
      expect.objectContaining({ status: 'waiting', since }),
    ]);
    expect(await request(clinicSocket).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    const admittedNotice = next(newClinicSocket, 'room:admitted');
    expect(await request(specialistSocket).emitWithAck('room:admit', admitClinic)).toMatchObject({
      ok: true,
      data: { appointmentStatus: 'in-progress' },
    });
    await admittedNotice;
    expect(await statusOf(appointmentId)).toBe('in-progress');
    // The replaced socket hears nothing of the room after being told it was replaced.
    expect(oldSocketEvents.map((e) => e.event).filter((e) => e.startsWith('room:'))).toEqual([
      'room:participant-left',
    ]);

    // A dropped socket leaves; the last one out closes the room, which keeps no one behind.
    const clinicGone = next(specialistSocket, 'room:participant-left');
    newClinicSocket.disconnect();
    expect(await clinicGone).toEqual({
      appointmentId,
      participantId: clinic.user.id,
      reason: 'disconnected',
    });
    expect(await request(specialistSocket).emitWithAck('room:leave', { appointmentId })).toEqual({
      ok: true,
      data: { left: true },
    });
    const fresh = await request(specialistSocket).emitWithAck('room:join', { appointmentId });
    expect(fresh).toMatchObject({
      ok: true,
      data: { appointmentStatus: 'in-progress', participants: [{ participantId: specialist.user.id }] },
    });
    expect(fresh.ok && fresh.data.participants).toHaveLength(1);
    expect(suite.died).toEqual([]);
  });
});
