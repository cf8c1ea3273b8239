import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RoomActor, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import { InMemoryRoomStateStore } from '../rooms/InMemoryRoomStateStore.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import * as transitions from '../rooms/roomTransitions.js';
import { redisForSuite, redisInstalled } from '../testing/redisForSuite.js';
import { roomOperation } from '../testing/roomOperation.js';
import { producersOfOthers, SharedMediaIds } from './SharedMediaIds.js';

const organizationId = '65a1b2c3d4e5f60718293a04';
const specialistId = '65a1b2c3d4e5f60718293a02';
const clinicId = '65a1b2c3d4e5f60718293a03';

function actor(id: string, role: 'clinic_doctor' | 'specialist', socketId: string): RoomActor {
  return { user: { id, role, organizationId, name: { ar: role, latin: role } }, socketId, token: 't' };
}
const specialist = actor(specialistId, 'specialist', 'specialist-socket');
const clinic = actor(clinicId, 'clinic_doctor', 'clinic-socket');
const clinicHolder = { participantId: clinicId, socketId: 'clinic-socket' };
const specialistHolder = { participantId: specialistId, socketId: 'specialist-socket' };

/** A room where the specialist has admitted the clinic doctor. */
function admittedRoom(): StoredRoom {
  let room: StoredRoom = {
    appointmentId: randomUUID().replaceAll('-', '').slice(0, 24),
    specialistId,
    appointmentStatus: 'in-progress',
    participants: [],
  };
  room = transitions.join(room, clinic, new Date('2026-12-07T08:00:00Z'), 'clinic').room;
  room = transitions.join(room, specialist, new Date('2026-12-07T08:01:00Z'), 'booked-specialist').room;
  return transitions.admit(room, specialist, clinicId, new Date('2026-12-07T08:02:00Z')).room;
}

if (!redisInstalled.ok) console.warn(`Media ids over Redis not tested: ${redisInstalled.reason}`);

const redis = redisForSuite();

/** Two signaling nodes' views of one store: two stores over one Redis, or one process's memory. */
const stores: Array<[string, boolean, () => Promise<[RoomStateStore, RoomStateStore]>]> = [
  [
    'InMemoryRoomStateStore',
    true,
    async () => {
      const store = new InMemoryRoomStateStore();
      return [store, store];
    },
  ],
  ['RedisRoomStateStore on a real redis-server', redisInstalled.ok, () => redis.twoRoomStores()],
];

describe.each(stores)('media ids in the shared room state: %s', (_name, runs, twoNodes) => {
  /** Two nodes' stores, and an admitted room put through the first. */
  async function admittedRoomOnTwoNodes() {
    const [nodeA, nodeB] = await twoNodes();
    const room = admittedRoom();
    await nodeA.put(room);
    return { nodeA, nodeB, room };
  }

  it.runIf(runs)(
    'offers a participant’s producers to the others from any node, and never to itself or to someone waiting',
    async () => {
      const { nodeA, nodeB, room } = await admittedRoomOnTwoNodes();
      const onA = new SharedMediaIds(nodeA);
      expect(await onA.addTransport(room.appointmentId, clinicHolder, 'send-transport')).toBe(true);
      expect(
        await onA.addProducer(room.appointmentId, clinicHolder, {
          producerId: 'camera',
          kind: 'video',
          source: 'camera',
        }),
      ).toBe(true);
      await onA.addProducer(room.appointmentId, clinicHolder, {
        producerId: 'screen',
        kind: 'video',
        source: 'screen',
      });
      // Written before sources were kept (a node of the previous version): the default of its kind.
      await onA.addProducer(room.appointmentId, clinicHolder, { producerId: 'mic', kind: 'audio' });

      const seenOnB = (await nodeB.get(room.appointmentId)) as StoredRoom;
      expect(producersOfOthers(seenOnB, specialistId)).toEqual([
        { producerId: 'camera', kind: 'video', source: 'camera', participantId: clinicId },
        { producerId: 'screen', kind: 'video', source: 'screen', participantId: clinicId },
        { producerId: 'mic', kind: 'audio', source: 'microphone', participantId: clinicId },
      ]);
      expect(producersOfOthers(seenOnB, clinicId)).toEqual([]);
      // The ids are the nodes' business, not what participants see of the room.
      expect(JSON.stringify(transitions.publicState(seenOnB))).not.toMatch(/camera|screen|send-transport/);

      // Only admitted participants' producers are offered (a waiting one takes no part in media).
      const waiting = {
        ...seenOnB,
        participants: seenOnB.participants.map((p) =>
          p.participantId === clinicId ? { ...p, status: 'waiting' as const } : p,
        ),
      };
      expect(producersOfOthers(waiting, specialistId)).toEqual([]);
    },
  );

  it.runIf(runs)(
    'keeps every id written by media and by room operations running at the same time on two nodes',
    async () => {
      const { nodeA, nodeB, room } = await admittedRoomOnTwoNodes();
      const [mediaOnA, mediaOnB] = [new SharedMediaIds(nodeA), new SharedMediaIds(nodeB)];
      const renamed = (r: StoredRoom) => ({
        ...r,
        participants: r.participants.map((p) => ({ ...p, name: { ...p.name, latin: `${p.name.latin}!` } })),
      });
      await Promise.all([
        ...Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? mediaOnA : mediaOnB).addProducer(room.appointmentId, clinicHolder, {
            producerId: `clinic-${i}`,
            kind: 'video',
          }),
        ),
        mediaOnB.addTransport(room.appointmentId, specialistHolder, 'recv-transport'),
        roomOperation(nodeA, room.appointmentId, renamed, 20),
        roomOperation(nodeB, room.appointmentId, renamed, 20),
      ]);
      const stored = (await nodeA.get(room.appointmentId)) as StoredRoom;
      const [clinicStored, specialistStored] = stored.participants;
      expect(clinicStored?.producers?.map((p) => p.producerId).sort()).toEqual(
        Array.from({ length: 6 }, (_, i) => `clinic-${i}`),
      );
      expect(specialistStored?.transportIds).toEqual(['recv-transport']);
      expect(clinicStored?.name).toEqual({ ar: 'clinic_doctor', latin: 'clinic_doctor!!' });
    },
  );

  it.runIf(runs)(
    'takes an id out for one caller only, and a replaced socket’s media out of the new socket’s place',
    async () => {
      const { nodeA, nodeB, room } = await admittedRoomOnTwoNodes();
      const [mediaOnA, mediaOnB] = [new SharedMediaIds(nodeA), new SharedMediaIds(nodeB)];
      await mediaOnA.addTransport(room.appointmentId, clinicHolder, 'send-transport');
      await mediaOnA.addProducer(room.appointmentId, clinicHolder, { producerId: 'camera', kind: 'video' });
      await mediaOnA.addProducer(room.appointmentId, clinicHolder, {
        producerId: 'microphone',
        kind: 'audio',
      });

      // The owner closes its camera while the SFU's producerclose reaches another node: one of them tells the room.
      const removals = await Promise.all([
        mediaOnA.removeProducer(room.appointmentId, clinicHolder, 'camera'),
        mediaOnB.removeProducer(room.appointmentId, clinicHolder, 'camera'),
      ]);
      expect(removals.filter(Boolean)).toHaveLength(1);

      // Its socket's media goes while its place stays: taken once, with what was left.
      const takes = await Promise.all([
        mediaOnA.takeAll(room.appointmentId, clinicHolder),
        mediaOnB.takeAll(room.appointmentId, clinicHolder),
      ]);
      expect(takes.filter((t) => t !== undefined)).toEqual([
        { transportIds: ['send-transport'], producers: [{ producerId: 'microphone', kind: 'audio' }] },
      ]);
      expect((await nodeB.get(room.appointmentId))?.participants.map((p) => p.status)).toEqual([
        'joined',
        'joined',
      ]);

      // The clinic doctor comes back on a new socket: its place starts without media, and the old socket can
      // no longer write any (its node closes what it just made).
      await mediaOnA.addTransport(room.appointmentId, clinicHolder, 'old-socket-transport');
      const before = (await nodeB.get(room.appointmentId)) as StoredRoom;
      const { room: rejoined, replaced } = transitions.join(
        before,
        actor(clinicId, 'clinic_doctor', 'clinic-socket-2'),
        new Date(),
        'clinic',
      );
      expect(replaced?.transportIds).toEqual(['old-socket-transport']);
      await nodeB.put(rejoined);
      expect(rejoined.participants[0]?.transportIds).toBeUndefined();
      expect(await mediaOnA.addTransport(room.appointmentId, clinicHolder, 'late-transport')).toBe(false);
      expect(
        await mediaOnA.addProducer(room.appointmentId, clinicHolder, { producerId: 'late', kind: 'video' }),
      ).toBe(false);
      expect(await mediaOnA.takeAll(room.appointmentId, clinicHolder)).toBeUndefined();
    },
  );
});
