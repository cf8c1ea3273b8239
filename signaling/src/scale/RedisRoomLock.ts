import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@telemed/shared';
import type { SignalingRedisClient } from './signalingRedisClient.js';

export interface RedisRoomLockOptions {
  /** How long a lock outlives a holder that stopped renewing it (a crashed node). */
  ttlMs?: number;
  /** How long a caller waits for the lock before being told to try again. */
  waitMs?: number;
  /** Turns a Redis failure met while taking the lock into the error the caller gets. */
  onRedisError?: (error: unknown) => unknown;
}

/** Deletes the lock only if this holder still owns it: a lock that expired and was taken since is not ours. */
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * A per-key lock in Redis (SET NX PX with a random owner token, renewed while held, released by a
 * compare-and-delete script): what serializes one room's operations across signaling nodes, each of which
 * reads the room, asks records, and writes the room back. The single-instance pattern of the Redis docs;
 * Redlock's quorum is not needed with one Redis.
 */
export class RedisRoomLock {
  readonly #client: SignalingRedisClient;
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #onRedisError: (error: unknown) => unknown;

  constructor(
    client: SignalingRedisClient,
    { ttlMs = 15_000, waitMs = 20_000, onRedisError = (error) => error }: RedisRoomLockOptions = {},
  ) {
    this.#client = client;
    this.#ttlMs = ttlMs;
    this.#waitMs = waitMs;
    this.#onRedisError = onRedisError;
  }

  async hold<T>(key: string, task: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    await this.#acquire(key, token);
    // Records may be slow: keep the lock while the task runs, and only then (a dead node's lock still expires).
    const renewal = setInterval(() => {
      this.#client
        .eval(renewScript, { keys: [key], arguments: [token, String(this.#ttlMs)] })
        .catch(() => undefined);
    }, this.#ttlMs / 3);
    renewal.unref();
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await this.#client.eval(releaseScript, { keys: [key], arguments: [token] }).catch(() => undefined);
    }
  }

  async #acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.#waitMs;
    let backoffMs = 2;
    for (;;) {
      const taken = await this.#client
        .set(key, token, { condition: 'NX', expiration: { type: 'PX', value: this.#ttlMs } })
        .catch((error: unknown) => {
          throw this.#onRedisError(error);
        });
      if (taken === 'OK') return;
      if (Date.now() >= deadline) {
        // The catalog's words ("try again shortly"), in both languages.
        throw new AppError('SERVICE_UNAVAILABLE');
      }
      // Jitter, so that nodes waiting on one room do not retry in lockstep.
      await sleep(backoffMs + Math.random() * backoffMs);
      backoffMs = Math.min(backoffMs * 2, 50);
    }
  }
}
