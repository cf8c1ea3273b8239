import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@telemed/shared';
import type { Collection } from 'mongoose';
import { KeyedMutex } from './KeyedMutex.js';

/** One held lock: its key is the document's `_id`, so the database lets only one exist. */
export interface LockDocument {
  _id: string;
  owner: string;
  /** A holder that dies leaves the lock behind until this moment. */
  until: Date;
}

export interface DatabaseLockOptions {
  /** How long a holder may keep the lock before others may take it over. */
  leaseMs: number;
  /** How long a caller waits for a busy lock before giving up with SERVICE_UNAVAILABLE. */
  waitMs: number;
}

/**
 * Runs tasks one at a time per key across every records process sharing the database: booking checks
 * "is this specialist free?" and then inserts, and two clinics booking the same slot through two
 * processes must not both pass the check. The lock is a document with a unique `_id` (so it works the
 * same on MongoDB and the embedded store, without transactions); within one process, waiters queue on a
 * mutex instead of polling the database.
 */
export class DatabaseLock {
  readonly #collection: Collection<LockDocument>;
  readonly #options: DatabaseLockOptions;
  readonly #local = new KeyedMutex();

  constructor(
    collection: Collection<LockDocument>,
    options: DatabaseLockOptions = { leaseMs: 10_000, waitMs: 5_000 },
  ) {
    this.#collection = collection;
    this.#options = options;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.#local.run(key, async () => {
      const owner = randomUUID();
      await this.#acquire(key, owner);
      try {
        return await task();
      } finally {
        // If this fails the lease still ends the lock.
        await this.#collection.deleteOne({ _id: key, owner }).catch(() => undefined);
      }
    });
  }

  async #acquire(key: string, owner: string): Promise<void> {
    const deadline = Date.now() + this.#options.waitMs;
    let pause = 5;
    for (;;) {
      const now = Date.now();
      try {
        await this.#collection.insertOne({ _id: key, owner, until: new Date(now + this.#options.leaseMs) });
        return;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      // Taken: over if its holder's lease ran out (the holder died), else wait a little and try again.
      await this.#collection.deleteOne({ _id: key, until: { $lt: new Date(now) } });
      if (Date.now() >= deadline) {
        throw new AppError('SERVICE_UNAVAILABLE', {
          en: 'Another booking for this specialist is still being made; try again in a moment.',
          ar: 'يجري الآن حجز آخر لهذا الطبيب الاستشاري؛ حاول مرة أخرى بعد لحظات.',
        });
      }
      await sleep(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 100);
    }
  }
}
