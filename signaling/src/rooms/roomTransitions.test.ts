import { AppError } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { callRoleOf } from '../testing/callRoleOf.js';
import type { RoomActor, StoredRoom } from './ConsultationRoomTypes.js';
import { InMemoryRoomStateStore } from './InMemoryRoomStateStore.js';
import { KeyedSerializer } from './KeyedSerializer.js';
import * as transitions from './roomTransitions.js';

const appointmentId = '65a1b2c3d4e5f60718293a01';
const specialistId = '65a1b2c3d4e5f60718293a02';
const clinicDoctorId = '65a1b2c3d4e5f60718293a03';
const organizationId = '65a1b2c3d4e5f60718293a04';
const t0 = new Date('2026-12-07T08:00:00.000Z');
const t1 = new Date('2026-12-07T08:05:00.000Z');
const t2 = new Date('2026-12-07T08:09:00.000Z');

const emptyRoom: StoredRoom = { appointmentId, specialistId, appointmentStatus: 'waiting', participants: [] };

function actor(role: 'clinic_doctor' | 'specialist', socketId: string): RoomActor {
  const id = role === 'specialist' ? specialistId : clinicDoctorId;
  return { user: { id, role, organizationId, name: { ar: role, latin: role } }, socketId, token: 'token' };
}
const clinic = actor('clinic_doctor', 'clinic-socket');
const specialist = actor('specialist', 'specialist-socket');
const invitedId = '65a1b2c3d4e5f60718293a07';
const invited: RoomActor = {
  user: { id: invitedId, role: 'specialist', organizationId, name: { ar: 'invited', latin: 'invited' } },
  socketId: 'invited-socket',
  token: 'token',
};
const invitation = { specialistId: invitedId, invitedBy: specialistId, at: t1.toISOString() };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

/** A clinic doctor waiting since t0 and the specialist joined at t1. */
function bothIn(): StoredRoom {
  const waiting = transitions.join(emptyRoom, clinic, t0, callRoleOf(clinic)).room;
  return transitions.join(waiting, specialist, t1, callRoleOf(specialist)).room;
}

describe('the consultation room state machine', () => {
  it('puts a clinic doctor in the waiting room and the specialist straight in', () => {
    const room = bothIn();
    expect(transitions.publicState(room).participants).toEqual([
      {
        participantId: clinicDoctorId,
        role: 'clinic_doctor',
        name: { ar: 'clinic_doctor', latin: 'clinic_doctor' },
        status: 'waiting',
        callRole: 'clinic',
        since: t0.toISOString(),
      },
      {
        participantId: specialistId,
        role: 'specialist',
        name: { ar: 'specialist', latin: 'specialist' },
        status: 'joined',
        callRole: 'booked-specialist',
        since: t1.toISOString(),
      },
    ]);
    expect(transitions.waitingEntries(room)).toEqual([
      {
        appointmentId,
        participantId: clinicDoctorId,
        name: { ar: 'clinic_doctor', latin: 'clinic_doctor' },
        since: t0.toISOString(),
      },
    ]);
  });

  it('admits a waiting clinic doctor: joined from the time of admission, off the waiting list', () => {
    const { room, participant } = transitions.admit(bothIn(), specialist, clinicDoctorId, t2);
    expect(participant).toMatchObject({ status: 'joined', since: t2.toISOString() });
    expect(transitions.waitingEntries(room)).toEqual([]);
  });

  it('refuses admission out of order: before the specialist joined, by a clinic doctor, of someone not waiting', () => {
    const waiting = transitions.join(emptyRoom, clinic, t0, callRoleOf(clinic)).room;
    expect(codeOf(() => transitions.admit(waiting, specialist, clinicDoctorId, t1))).toBe('ROOM_NOT_JOINED');
    expect(codeOf(() => transitions.admit(bothIn(), clinic, clinicDoctorId, t1))).toBe('FORBIDDEN');
    expect(codeOf(() => transitions.admit(bothIn(), specialist, specialistId, t2))).toBe(
      'PARTICIPANT_NOT_WAITING',
    );
    expect(codeOf(() => transitions.admit(bothIn(), specialist, organizationId, t2))).toBe(
      'PARTICIPANT_NOT_WAITING',
    );
    const admitted = transitions.admit(bothIn(), specialist, clinicDoctorId, t2).room;
    expect(codeOf(() => transitions.admit(admitted, specialist, clinicDoctorId, t2))).toBe(
      'PARTICIPANT_NOT_WAITING',
    );
  });

  it('lets only the socket that holds a place act in the room', () => {
    const otherTab = actor('specialist', 'another-socket');
    expect(codeOf(() => transitions.participantOf(bothIn(), otherTab))).toBe('ROOM_NOT_JOINED');
    expect(codeOf(() => transitions.participantOf(undefined, specialist))).toBe('ROOM_NOT_JOINED');
    expect(codeOf(() => transitions.assertJoinedHost(undefined, specialist))).toBe('ROOM_NOT_JOINED');
  });

  it('replaces a participant who comes back on a new socket, keeping their status and waiting time', () => {
    const reconnected = actor('clinic_doctor', 'clinic-socket-2');
    const waitingAgain = transitions.join(bothIn(), reconnected, t2, callRoleOf(reconnected));
    expect(waitingAgain.replaced?.socketId).toBe('clinic-socket');
    expect(waitingAgain.participant).toMatchObject({
      status: 'waiting',
      since: t0.toISOString(),
      socketId: 'clinic-socket-2',
    });
    expect(waitingAgain.room.participants).toHaveLength(2);

    const admitted = transitions.admit(bothIn(), specialist, clinicDoctorId, t1).room;
    const back = transitions.join(admitted, reconnected, t2, callRoleOf(reconnected));
    expect(back.participant.status).toBe('joined');
    expect(codeOf(() => transitions.participantOf(back.room, clinic))).toBe('ROOM_NOT_JOINED');
  });

  it('starts a newer socket’s place without the old socket’s media, handing that media over as replaced', () => {
    const withMedia: StoredRoom = {
      ...bothIn(),
      participants: bothIn().participants.map((p) =>
        p.participantId === clinicDoctorId
          ? { ...p, transportIds: ['t1'], producers: [{ producerId: 'p1', kind: 'video' }] }
          : p,
      ),
    };
    const sameSocket = transitions.join(withMedia, clinic, t2, 'clinic');
    expect(sameSocket.participant).toMatchObject({ transportIds: ['t1'], producers: [{ producerId: 'p1' }] });
    const newSocket = transitions.join(withMedia, actor('clinic_doctor', 'clinic-socket-2'), t2, 'clinic');
    expect(newSocket.participant.transportIds).toBeUndefined();
    expect(newSocket.participant.producers).toBeUndefined();
    expect(newSocket.replaced).toMatchObject({ socketId: 'clinic-socket', transportIds: ['t1'] });
  });

  it('lets a newer socket that names exactly the stored transports resume that media; any other set starts without it', () => {
    const withMedia: StoredRoom = {
      ...bothIn(),
      participants: bothIn().participants.map((p) =>
        p.participantId === clinicDoctorId
          ? { ...p, transportIds: ['ts', 'tr'], producers: [{ producerId: 'p1', kind: 'video' }] }
          : p,
      ),
    };
    const back = actor('clinic_doctor', 'clinic-socket-2');
    const resumed = transitions.join(withMedia, back, t2, 'clinic', ['tr', 'ts']);
    expect(resumed.participant).toMatchObject({
      socketId: 'clinic-socket-2',
      transportIds: ['ts', 'tr'],
      producers: [{ producerId: 'p1' }],
    });
    // The old socket's place goes, its media does not: nothing is handed over to be closed.
    expect(resumed.replaced?.socketId).toBe('clinic-socket');
    expect(resumed.replaced?.transportIds).toBeUndefined();
    expect(resumed.replaced?.producers).toBeUndefined();

    for (const named of [['ts'], ['ts', 'tr', 'other'], ['ts', 'ts'], ['ts', 'someone-elses']]) {
      const refused = transitions.join(withMedia, back, t2, 'clinic', named);
      expect(refused.participant.transportIds).toBeUndefined();
      expect(refused.replaced).toMatchObject({ transportIds: ['ts', 'tr'] });
    }
    // Another user naming the clinic's transports gets a place of their own, without them.
    const other = transitions.join(
      withMedia,
      actor('specialist', 'specialist-socket-2'),
      t2,
      'booked-specialist',
      ['ts', 'tr'],
    );
    expect(other.participant.transportIds).toBeUndefined();
  });

  it('treats a second join from the same socket as no change', () => {
    const again = transitions.join(bothIn(), clinic, t2, callRoleOf(clinic));
    expect(again.replaced).toBeUndefined();
    expect(again.room).toEqual(bothIn());
  });

  it('removes a participant, and says when they were not there', () => {
    const { room, removed } = transitions.remove(bothIn(), clinicDoctorId);
    expect(removed?.participantId).toBe(clinicDoctorId);
    expect(room.participants.map((p) => p.participantId)).toEqual([specialistId]);
    expect(transitions.remove(room, clinicDoctorId).removed).toBeUndefined();
  });
});

describe('InMemoryRoomStateStore', () => {
  it('keeps copies, and lists a specialist’s waiting across their rooms, longest waiting first', async () => {
    const store = new InMemoryRoomStateStore();
    const second = '65a1b2c3d4e5f60718293a05';
    const room = transitions.join(emptyRoom, clinic, t1, callRoleOf(clinic)).room;
    await store.put(room);
    await store.put(transitions.join({ ...emptyRoom, appointmentId: second }, clinic, t0, 'clinic').room);
    await store.put({
      ...emptyRoom,
      appointmentId: '65a1b2c3d4e5f60718293a06',
      specialistId: organizationId,
    });
    expect((await store.waitingFor(specialistId)).map((w) => w.appointmentId)).toEqual([
      second,
      appointmentId,
    ]);

    const copy = await store.get(appointmentId);
    copy?.participants.splice(0);
    expect((await store.get(appointmentId))?.participants).toHaveLength(1);

    await store.delete(second);
    expect((await store.waitingFor(specialistId)).map((w) => w.appointmentId)).toEqual([appointmentId]);
    await store.put({ ...room, specialistId: organizationId });
    expect(await store.waitingFor(specialistId)).toEqual([]);
    expect(await store.waitingFor(organizationId)).toHaveLength(1);
  });
});

describe('KeyedSerializer', () => {
  it('runs one key’s tasks one at a time, in order, through failures', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      serializer.run('a', task('a1', true)),
      serializer.run('a', task('a2')),
      serializer.run('b', task('b1')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    const a = log.filter((line) => line.startsWith('a'));
    expect(a).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end']);
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('lets an invited specialist straight in, with their call role, but never lets them run the call', () => {
    const { room, participant } = transitions.join(
      { ...bothIn(), invitations: [invitation] },
      invited,
      t2,
      'invited-specialist',
    );
    expect(participant).toMatchObject({
      status: 'joined',
      callRole: 'invited-specialist',
      since: t2.toISOString(),
    });
    expect(transitions.publicState(room)).toMatchObject({
      participants: [
        { callRole: 'clinic' },
        { callRole: 'booked-specialist' },
        { callRole: 'invited-specialist' },
      ],
      invitations: [invitation],
    });
    expect(transitions.waitingEntries(room).map((w) => w.participantId)).toEqual([clinicDoctorId]);
    // A specialist, joined, and still not the host: the role in the call decides, not the platform role.
    expect(codeOf(() => transitions.assertJoinedHost(room, invited))).toBe('FORBIDDEN');
    expect(codeOf(() => transitions.admit(room, invited, clinicDoctorId, t2))).toBe('FORBIDDEN');
    expect(transitions.assertJoinedHost(room, specialist)).toBe(room);
  });

  it('takes the invited specialist out when their invitation is withdrawn, and nobody else', () => {
    const { room } = transitions.join(
      { ...bothIn(), invitations: [invitation] },
      invited,
      t2,
      'invited-specialist',
    );
    const out = transitions.withdrawn(room, invitedId, []);
    expect(out.removed?.participantId).toBe(invitedId);
    expect(out.room.participants.map((p) => p.participantId)).toEqual([clinicDoctorId, specialistId]);
    expect(out.room.invitations).toEqual([]);
    // Withdrawing names a specialist; the clinic doctor or the host named by mistake stays in.
    expect(transitions.withdrawn(room, clinicDoctorId, [invitation]).removed).toBeUndefined();
    expect(transitions.withdrawn(room, specialistId, [invitation]).room.participants).toHaveLength(3);
  });
});
