import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, startRedisServer } from '@telemed/service-kit';
import { AppError } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import type { RoomActor, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import * as transitions from '../rooms/roomTransitions.js';
import { callRoleOf } from '../testing/callRoleOf.js';
import { redisForSuite, redisInstalled } from '../testing/redisForSuite.js';
import { roomOperation } from '../testing/roomOperation.js';
import { RedisRoomStateStore } from './RedisRoomStateStore.js';
import { connectRedis } from './signalingRedisClient.js';

const organizationId = '65a1b2c3d4e5f60718293a04';
const specialistId = '65a1b2c3d4e5f60718293a02';
const otherSpecialistId = '65a1b2c3d4e5f60718293a05';
const doctorIds = ['65a1b2c3d4e5f60718293a03', '65a1b2c3d4e5f60718293a06'] as const;

function actor(id: string, role: 'clinic_doctor' | 'specialist'): RoomActor {
  return {
    user: {
      id,
      role,
      organizationId,
      name: { ar: `${role} ${id.slice(-2)}`, latin: `${role} ${id.slice(-2)}` },
    },
    socketId: `socket-${id}`,
    token: 't',
  };
}
const specialist = actor(specialistId, 'specialist');
const doctors = doctorIds.map((id) => actor(id, 'clinic_doctor'));

if (!redisInstalled.ok) console.warn(`Redis room store tests not run: ${redisInstalled.reason}`);

/**
 * Two `RedisRoomStateStore`s on two connections stand for two signaling nodes. Each operation reads the room,
 * waits as a records call would, and writes it back: without the room's Redis lock the later write drops the
 * earlier one's change.
 */
describe.runIf(redisInstalled.ok)('RedisRoomStateStore on a real redis-server', () => {
  const redis = redisForSuite();
  const twoNodes = redis.twoRoomStores;

  function newRoom(): StoredRoom {
    return {
      appointmentId: randomUUID().replaceAll('-', '').slice(0, 24),
      specialistId,
      appointmentStatus: 'scheduled',
      participants: [],
    };
  }

  /** `room` with `who` joined at `at`: a clinic doctor waits, the booked specialist is in. */
  const joinedBy = (room: StoredRoom, who: RoomActor, at = new Date()) =>
    transitions.join(room, who, at, callRoleOf(who)).room;

  it('keeps both of two concurrent joins made on one room through two nodes', async () => {
    const [nodeA, nodeB] = await twoNodes();
    const room = newRoom();
    await nodeA.put(room);
    await Promise.all([
      roomOperation(nodeA, room.appointmentId, (r) => joinedBy(r, doctors[0]!)),
      roomOperation(nodeB, room.appointmentId, (r) => joinedBy(r, doctors[1]!)),
    ]);
    const stored = await nodeA.get(room.appointmentId);
    expect(stored?.participants.map((p) => p.participantId).sort()).toEqual([...doctorIds].sort());
    expect((await nodeB.waitingFor(specialistId)).map((e) => e.participantId).sort()).toEqual(
      [...doctorIds].sort(),
    );
  });

  it('reads a room a node of the previous release stored, whose names were one Arabic string, as bilingual names', async () => {
    const client = await redis.connect('previous-release');
    const keyPrefix = `test:${randomUUID()}:`;
    const store = new RedisRoomStateStore(client, { keyPrefix });
    const room = joinedBy(newRoom(), doctors[0]!, new Date('2026-12-07T08:00:00.000Z'));
    // Put through the store (so the specialist's index is written), then overwrite the value as the old node wrote it.
    await store.put(room);
    const previous = { ...room, participants: room.participants.map((p) => ({ ...p, name: 'د. منى' })) };
    await client.set(`${keyPrefix}room:${room.appointmentId}`, JSON.stringify(previous));

    const expected = { ar: 'د. منى', latin: 'د. منى' };
    expect((await store.get(room.appointmentId))?.participants[0]?.name).toEqual(expected);
    expect((await store.waitingFor(specialistId)).map((e) => e.name)).toEqual([expected]);
    expect((await store.openRooms()).flatMap((r) => r.participants.map((p) => p.name))).toEqual([expected]);
    // The next join writes both names.
    await roomOperation(store, room.appointmentId, (r) => joinedBy(r, doctors[0]!));
    expect((await store.get(room.appointmentId))?.participants[0]?.name).toEqual(doctors[0]!.user.name);
  });

  it('admits each of two waiting doctors once when two nodes admit at the same time, and refuses a second admit', async () => {
    const [nodeA, nodeB] = await twoNodes();
    let room = newRoom();
    for (const who of [...doctors, specialist]) room = joinedBy(room, who);
    await nodeA.put(room);
    const admit = (store: RedisRoomStateStore, participantId: string) =>
      roomOperation(
        store,
        room.appointmentId,
        (r) => transitions.admit(r, specialist, participantId, new Date()).room,
      );
    await Promise.all([admit(nodeA, doctorIds[0]), admit(nodeB, doctorIds[1])]);
    const stored = await nodeB.get(room.appointmentId);
    expect(stored?.participants.map((p) => p.status)).toEqual(['joined', 'joined', 'joined']);
    expect(await nodeA.waitingFor(specialistId)).toEqual([]);

    // The same admit from both nodes: one wins, the other finds nobody waiting (records is asked once).
    const [nodeC, nodeD] = await twoNodes();
    let fresh = newRoom();
    for (const who of [doctors[0]!, specialist]) fresh = joinedBy(fresh, who);
    await nodeC.put(fresh);
    const again = (store: RedisRoomStateStore) =>
      roomOperation(
        store,
        fresh.appointmentId,
        (r) => transitions.admit(r, specialist, doctorIds[0], new Date()).room,
      );
    const results = await Promise.allSettled([again(nodeC), again(nodeD)]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(((refused[0] as PromiseRejectedResult).reason as AppError).code).toBe('PARTICIPANT_NOT_WAITING');
  });

  it('lists a specialist’s waiting people across their rooms, longest waiting first, and keeps the index right', async () => {
    const [nodeA, nodeB] = await twoNodes();
    const first = joinedBy(newRoom(), doctors[0]!, new Date('2026-12-07T08:00:00Z'));
    const second = joinedBy(newRoom(), doctors[1]!, new Date('2026-12-07T07:00:00Z'));
    await nodeA.put(first);
    await nodeB.put(second);
    expect((await nodeA.waitingFor(specialistId)).map((e) => e.appointmentId)).toEqual([
      second.appointmentId,
      first.appointmentId,
    ]);
    // An urgent request taken by another specialist moves to their list.
    await nodeB.put({ ...first, specialistId: otherSpecialistId });
    expect((await nodeA.waitingFor(specialistId)).map((e) => e.appointmentId)).toEqual([
      second.appointmentId,
    ]);
    expect((await nodeA.waitingFor(otherSpecialistId)).map((e) => e.appointmentId)).toEqual([
      first.appointmentId,
    ]);
    expect((await nodeA.openRooms()).map((r) => r.appointmentId).sort()).toEqual(
      [first.appointmentId, second.appointmentId].sort(),
    );
    await nodeA.delete(second.appointmentId);
    expect((await nodeB.openRooms()).map((r) => r.appointmentId)).toEqual([first.appointmentId]);
    expect(await nodeB.waitingFor(specialistId)).toEqual([]);
    expect(await nodeB.get(second.appointmentId)).toBeUndefined();
  });

  it('lets a room left behind by a killed node expire, and drops it from the index when met', async () => {
    const client = await redis.connect('expiry');
    const keyPrefix = `test:${randomUUID()}:`;
    const store = new RedisRoomStateStore(client, { keyPrefix });
    const room = joinedBy(newRoom(), doctors[0]!);
    await store.put(room);
    const roomKey = `${keyPrefix}room:${room.appointmentId}`;
    const ttl = await client.pTTL(roomKey);
    expect(ttl).toBeGreaterThan(60 * 60_000);
    await client.del(roomKey); // as its expiry would
    expect(await store.waitingFor(specialistId)).toEqual([]);
    expect(await client.sMembers(`${keyPrefix}specialist-rooms:${specialistId}`)).toEqual([]);
  });

  it('stops start-up with a message naming REDIS_URL, without its password, when Redis cannot be reached', async () => {
    const [closedPort] = await freePorts(1);
    const failed = await connectRedis(`redis://:s3cret@127.0.0.1:${closedPort}`, redis.logger, 'nowhere', {
      connectTimeoutMs: 500,
    }).catch((error: unknown) => error as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toContain(`REDIS_URL=redis://:***@127.0.0.1:${closedPort}`);
    expect((failed as Error).message).toContain('ECONNREFUSED');
    expect((failed as Error).message).not.toContain('s3cret');
  });

  it('answers SERVICE_UNAVAILABLE, without waiting for it, while Redis is down', async () => {
    const lonely = await startRedisServer();
    const client = await redis.connect('down', { url: lonely.url, failFastWhileDisconnected: true });
    const store = new RedisRoomStateStore(client, {
      keyPrefix: `test:${randomUUID()}:`,
      logger: redis.logger,
    });
    await store.put(newRoom());
    await lonely.stop();
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
    expect(await codeOf(store.get(newRoom().appointmentId))).toBe('SERVICE_UNAVAILABLE');
    expect(await codeOf(store.put(newRoom()))).toBe('SERVICE_UNAVAILABLE');
    expect(await codeOf(store.waitingFor(specialistId))).toBe('SERVICE_UNAVAILABLE');
    expect(await codeOf(store.exclusive(newRoom().appointmentId, async () => 'ran'))).toBe(
      'SERVICE_UNAVAILABLE',
    );
  });

  it('frees a room whose lock holder failed, and tells a caller who waited too long to try again', async () => {
    const [nodeA] = await twoNodes();
    const room = newRoom();
    await expect(
      nodeA.exclusive(room.appointmentId, async () => Promise.reject(new Error('records down'))),
    ).rejects.toThrow('records down');
    await expect(nodeA.exclusive(room.appointmentId, async () => 'next')).resolves.toBe('next');

    const client = await redis.connect('impatient');
    const impatient = new RedisRoomStateStore(client, {
      keyPrefix: `test:${randomUUID()}:`,
      lock: { waitMs: 200 },
    });
    let release!: () => void;
    const holding = impatient.exclusive(
      room.appointmentId,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await sleep(20);
    const waited = await impatient
      .exclusive(room.appointmentId, async () => 'ran')
      .catch((error: unknown) => error);
    expect(waited).toBeInstanceOf(AppError);
    expect((waited as AppError).code).toBe('SERVICE_UNAVAILABLE');
    release();
    await holding;
  });
});
