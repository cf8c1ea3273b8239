import type { WaitingEntry } from '@telemed/shared';
import type { StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import { waitingEntries } from '../rooms/roomTransitions.js';
import { RedisRoomLock, type RedisRoomLockOptions } from './RedisRoomLock.js';
import type { SignalingRedisClient } from './signalingRedisClient.js';

export interface RedisRoomStateStoreOptions {
  /** Namespaces the keys, so that several platforms (or test runs) can share one Redis. */
  keyPrefix?: string;
  lock?: RedisRoomLockOptions;
}

/**
 * Saves a room and moves it to its specialist's index in one step, so that no node ever sees a room missing
 * from its specialist's waiting list or listed under a specialist it no longer has. The old index key is read
 * from the stored room, hence built inside the script: this targets one Redis (not Redis Cluster).
 * KEYS[1] room key; ARGV: room JSON, specialist id or '', index key prefix, appointment id.
 */
const putScript = `
local previous = redis.call('GET', KEYS[1])
if previous then
  local old = cjson.decode(previous)
  if type(old.specialistId) == 'string' and old.specialistId ~= ARGV[2] then
    redis.call('SREM', ARGV[3] .. old.specialistId, ARGV[4])
  end
end
redis.call('SET', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then redis.call('SADD', ARGV[3] .. ARGV[2], ARGV[4]) end
return 1`;

/** Deletes a room and takes it off its specialist's index. KEYS[1] room key; ARGV: index key prefix, appointment id. */
const deleteScript = `
local previous = redis.call('GET', KEYS[1])
if not previous then return 0 end
local old = cjson.decode(previous)
if type(old.specialistId) == 'string' then redis.call('SREM', ARGV[1] .. old.specialistId, ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

/**
 * Rooms' state in Redis, shared by every signaling node: a room as one JSON value, and per specialist the set
 * of their rooms' ids (the waiting list reads only those). Writes are atomic scripts; whole operations on one
 * room (read, ask records, write) hold the room's Redis lock, since the in-process `KeyedSerializer` only
 * orders one node's operations.
 */
export class RedisRoomStateStore implements RoomStateStore {
  readonly #client: SignalingRedisClient;
  readonly #lock: RedisRoomLock;
  readonly #prefix: string;

  constructor(
    client: SignalingRedisClient,
    { keyPrefix = 'telemed:signaling:', lock }: RedisRoomStateStoreOptions = {},
  ) {
    this.#client = client;
    this.#lock = new RedisRoomLock(client, lock);
    this.#prefix = keyPrefix;
  }

  exclusive<T>(appointmentId: string, task: () => Promise<T>): Promise<T> {
    return this.#lock.hold(`${this.#roomKey(appointmentId)}:lock`, task);
  }

  async get(appointmentId: string): Promise<StoredRoom | undefined> {
    const json = await this.#client.get(this.#roomKey(appointmentId));
    return json === null ? undefined : (JSON.parse(json) as StoredRoom);
  }

  async put(room: StoredRoom): Promise<void> {
    await this.#client.eval(putScript, {
      keys: [this.#roomKey(room.appointmentId)],
      arguments: [JSON.stringify(room), room.specialistId ?? '', this.#indexPrefix(), room.appointmentId],
    });
  }

  async delete(appointmentId: string): Promise<void> {
    await this.#client.eval(deleteScript, {
      keys: [this.#roomKey(appointmentId)],
      arguments: [this.#indexPrefix(), appointmentId],
    });
  }

  async waitingFor(specialistId: string): Promise<WaitingEntry[]> {
    const appointmentIds = await this.#client.sMembers(`${this.#indexPrefix()}${specialistId}`);
    if (appointmentIds.length === 0) return [];
    const rooms = await this.#client.mGet(appointmentIds.map((id) => this.#roomKey(id)));
    const entries: WaitingEntry[] = [];
    for (const json of rooms) {
      if (json !== null) entries.push(...waitingEntries(JSON.parse(json) as StoredRoom));
    }
    return entries.sort((a, b) => a.since.localeCompare(b.since));
  }

  #roomKey(appointmentId: string): string {
    return `${this.#prefix}room:${appointmentId}`;
  }

  #indexPrefix(): string {
    return `${this.#prefix}specialist-rooms:`;
  }
}
