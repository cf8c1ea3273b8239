import type { AuditEvent } from '@telemed/shared';
import { Types } from 'mongoose';
import { insertDocuments } from '../db/insertDocuments.js';
import type { Models } from '../models/registerModels.js';
import type { AuditActor } from './AuditActor.js';

export interface AuditEntry {
  action: AuditEvent['action'];
  resourceType: string;
  resourceId?: string | undefined;
  patientId?: string | undefined;
  outcome: AuditEvent['outcome'];
  reason?: string | undefined;
}

const readsWriteConcern = { w: 1 };

interface PendingBatch {
  events: Record<string, unknown>[];
  written: Promise<void>;
}

/**
 * Writes one audit event per read or change of patient data and per refusal. Every caller awaits its write:
 * if the audit trail cannot be written, the request fails rather than going unrecorded. Events of requests
 * that arrive together, or while the previous insert is under way, are written in one insert (group commit),
 * so auditing costs one database round trip per burst, not one per request.
 *
 * Events of changes, sign-ins and exports wait for the database's journal (the default write concern).
 * Events of reads are acknowledged once the database has applied them (write concern `w: 1`), which
 * journals them within its commit interval (100 ms by default, for MongoDB and the embedded store alike):
 * a read then waits for one round trip, not for the disk, whose flushes take 30 ms and more on the
 * virtual disks health networks run on. Only a crash of the database within that interval can lose one.
 */
export class AuditLog {
  readonly #model: Models['AuditEvent'];
  /** The batch being gathered, per kind: events of reads (`true`), and the others. */
  readonly #pending = new Map<boolean, PendingBatch>();
  /** The last batch sent or waiting to be sent, per kind: at most one insert of each kind is under way. */
  readonly #writing = new Map<boolean, Promise<void>>();

  constructor(model: Models['AuditEvent']) {
    this.#model = model;
  }

  record(actor: AuditActor, entry: AuditEntry): Promise<void> {
    return this.recordMany(actor, [entry]);
  }

  /**
   * Entries that differ only in their record (the rows of one list) become one event naming all of them:
   * a search of twenty patients is one audited read of twenty records, not twenty writes.
   */
  recordMany(actor: AuditActor, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const at = new Date();
    const grouped = new Map<string, Record<string, unknown>>();
    for (const entry of entries) {
      const key = [entry.action, entry.resourceType, entry.outcome, entry.reason].join('\u0000');
      let event = grouped.get(key);
      if (!event) {
        // Built here rather than through mongoose documents: audit writes ride on every read of patient
        // data, and casting and validating each through the model cost more than the read itself.
        event = { at, action: entry.action, resourceType: entry.resourceType, outcome: entry.outcome };
        event.resourceIds = [];
        event.patientIds = [];
        if (actor.id) event.actorId = new Types.ObjectId(actor.id);
        if (actor.role) event.actorRole = actor.role;
        if (entry.reason) event.reason = entry.reason;
        if (actor.ip) event.ip = actor.ip;
        event.via = actor.via;
        grouped.set(key, event);
      }
      if (entry.resourceId) (event.resourceIds as string[]).push(entry.resourceId);
      if (entry.patientId) (event.patientIds as Types.ObjectId[]).push(new Types.ObjectId(entry.patientId));
    }
    const events = [...grouped.values()];
    const ofReads = entries.every((entry) => entry.action === 'read');
    const pending = this.#pending.get(ofReads);
    if (pending) {
      pending.events.push(...events);
      return pending.written;
    }
    const batch: PendingBatch = { events, written: Promise.resolve() };
    // The batch leaves once the write before it is done (or, with none under way, on the next turn): events
    // that arrive meanwhile join it. Under load batches grow instead of inserts queuing up at the database.
    const previous = this.#writing.get(ofReads) ?? new Promise<void>((resolve) => setImmediate(resolve));
    const written = previous
      .catch(() => {})
      .then(async () => {
        // Later callers join a new batch from here on.
        this.#pending.delete(ofReads);
        await insertDocuments(this.#model, batch.events, ofReads ? readsWriteConcern : undefined);
      });
    batch.written = written;
    this.#pending.set(ofReads, batch);
    this.#writing.set(ofReads, written);
    written
      .catch(() => {})
      .finally(() => {
        if (this.#writing.get(ofReads) === written) this.#writing.delete(ofReads);
      });
    return batch.written;
  }
}
