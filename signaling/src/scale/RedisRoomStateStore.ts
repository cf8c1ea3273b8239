import type { Logger } from '@telemed/service-kit';
import { AppError, type WaitingEntry } from '@telemed/shared';
import type { StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import { waitingEntries } from '../rooms/roomTransitions.js';
import { RedisRoomLock, type RedisRoomLockOptions } from './RedisRoomLock.js';
import type { SignalingRedisClient } from './signalingRedisClient.js';
import { storedRoomFromJson } from './storedRoomFromJson.js';

export interface RedisRoomStateStoreOptions {
  /** Namespaces the keys, so that several platforms (or test runs) can share one Redis. */
  keyPrefix?: string;
  lock?: RedisRoomLockOptions;
  /** Where Redis failures are logged; the event that met one is answered SERVICE_UNAVAILABLE. */
  logger?: Logger;
}

/** A room's key outlives any consultation; the expiry only bounds what a node killed mid-room leaves behind. */
const roomTtlMs = 24 * 60 * 60_000;

/**
 * Saves a room and moves it to its specialist's index in one step, so that no node ever sees a room missing
 * from its specialist's waiting list or listed under a specialist it no longer has. The old index key is read
 * from the stored room, hence built inside the script: this targets one Redis (not Redis Cluster).
 * KEYS[1] room key, KEYS[2] the set of open rooms; ARGV: room JSON, specialist id or '', index key prefix,
 * appointment id, TTL in ms.
 */
const putScript = `
local previous = redis.call('GET', KEYS[1])
if previous then
  local old = cjson.decode(previous)
  if type(old.specialistId) == 'string' and old.specialistId ~= ARGV[2] then
    redis.call('SREM', ARGV[3] .. old.specialistId, ARGV[4])
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[4])
if ARGV[2] ~= '' then redis.call('SADD', ARGV[3] .. ARGV[2], ARGV[4]) end
return 1`;

/**
 * Deletes a room and takes it off its specialist's index and the open rooms. KEYS[1] room key, KEYS[2] the set
 * of open rooms; ARGV: index key prefix, appointment id.
 */
const deleteScript = `
redis.call('SREM', KEYS[2], ARGV[2])
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
  readonly #logger: Logger | undefined;

  constructor(
    client: SignalingRedisClient,
    { keyPrefix = 'telemed:signaling:', lock, logger }: RedisRoomStateStoreOptions = {},
  ) {
    this.#client = client;
    this.#lock = new RedisRoomLock(client, { ...lock, onRedisError: (error) => this.#unavailable(error) });
    this.#prefix = keyPrefix;
    this.#logger = logger;
  }

  exclusive<T>(appointmentId: string, task: () => Promise<T>): Promise<T> {
    return this.#lock.hold(`${this.#roomKey(appointmentId)}:lock`, task);
  }

  async get(appointmentId: string): Promise<StoredRoom | undefined> {
    const json = await this.#redis(() => this.#client.get(this.#roomKey(appointmentId)));
    return json === null ? undefined : storedRoomFromJson(json);
  }

  async put(room: StoredRoom): Promise<void> {
    await this.#redis(() =>
      this.#client.eval(putScript, {
        keys: [this.#roomKey(room.appointmentId), this.#openRoomsKey()],
        arguments: [
          JSON.stringify(room),
          room.specialistId ?? '',
          this.#indexPrefix(),
          room.appointmentId,
          String(roomTtlMs),
        ],
      }),
    );
  }

  async delete(appointmentId: string): Promise<void> {
    await this.#redis(() =>
      this.#client.eval(deleteScript, {
        keys: [this.#roomKey(appointmentId), this.#openRoomsKey()],
        arguments: [this.#indexPrefix(), appointmentId],
      }),
    );
  }

  async waitingFor(specialistId: string): Promise<WaitingEntry[]> {
    const rooms = await this.#roomsIn(`${this.#indexPrefix()}${specialistId}`);
    return rooms.flatMap(waitingEntries).sort((a, b) => a.since.localeCompare(b.since));
  }

  /**
   * Every open room, for the sweep of participants whose node died (rare, and bounded by the consultations
   * under way, not by the records).
   */
  openRooms(): Promise<StoredRoom[]> {
    return this.#roomsIn(this.#openRoomsKey());
  }

  /** The rooms a set of appointment ids names; those whose keys expired (their node died) leave the set. */
  async #roomsIn(setKey: string): Promise<StoredRoom[]> {
    const appointmentIds = await this.#redis(() => this.#client.sMembers(setKey));
    if (appointmentIds.length === 0) return [];
    const values = await this.#redis(() => this.#client.mGet(appointmentIds.map((id) => this.#roomKey(id))));
    const rooms: StoredRoom[] = [];
    const expired: string[] = [];
    values.forEach((json, i) => {
      if (json === null) expired.push(appointmentIds[i] as string);
      else rooms.push(storedRoomFromJson(json));
    });
    if (expired.length > 0) await this.#redis(() => this.#client.sRem(setKey, expired));
    return rooms;
  }

  /** True for the one node that claims this period's sweep (the claim lapses by itself). */
  async claimSweep(periodMs: number): Promise<boolean> {
    const claimed = await this.#redis(() =>
      this.#client.set(`${this.#prefix}sweep`, 'claimed', {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, periodMs - 500) },
      }),
    );
    return claimed === 'OK';
  }

  async #redis<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  /** Redis down or refusing: logged with its cause, answered in the catalog's words (both languages). */
  #unavailable(error: unknown): AppError {
    if (error instanceof AppError) return error;
    this.#logger?.error({ err: error }, 'the rooms state in Redis cannot be reached');
    return new AppError('SERVICE_UNAVAILABLE');
  }

  #roomKey(appointmentId: string): string {
    return `${this.#prefix}room:${appointmentId}`;
  }

  #openRoomsKey(): string {
    return `${this.#prefix}open-rooms`;
  }

  #indexPrefix(): string {
    return `${this.#prefix}specialist-rooms:`;
  }
}
