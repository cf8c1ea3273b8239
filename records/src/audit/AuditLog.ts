import type { AuditEvent } from '@telemed/shared';
import type { Request } from 'express';
import { Types } from 'mongoose';
import { clientIp } from '../http/requestContext.js';
import type { Models } from '../models/registerModels.js';

export interface AuditEntry {
  action: AuditEvent['action'];
  resourceType: string;
  resourceId?: string | undefined;
  patientId?: string | undefined;
  outcome: AuditEvent['outcome'];
  reason?: string | undefined;
  /** For sign-ins, where no user is on the request yet. */
  actorId?: string | undefined;
  actorRole?: string | undefined;
}

interface PendingBatch {
  events: Record<string, unknown>[];
  written: Promise<void>;
}

/**
 * Writes one audit event per read or change of patient data and per refusal. Every caller awaits its write:
 * if the audit trail cannot be written, the request fails rather than going unrecorded. Events of requests
 * that arrive together are written in one insert (group commit), so auditing costs one database round trip
 * per burst, not one per request.
 */
export class AuditLog {
  readonly #model: Models['AuditEvent'];
  #pending: PendingBatch | undefined;

  constructor(model: Models['AuditEvent']) {
    this.#model = model;
  }

  record(req: Request, entry: AuditEntry): Promise<void> {
    return this.recordMany(req, [entry]);
  }

  /**
   * Entries that differ only in their record (the rows of one list) become one event naming all of them:
   * a search of twenty patients is one audited read of twenty records, not twenty writes.
   */
  recordMany(req: Request, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const at = new Date();
    const ip = clientIp(req);
    const grouped = new Map<string, Record<string, unknown>>();
    for (const entry of entries) {
      const actorId = entry.actorId ?? req.user?.id;
      const actorRole = entry.actorRole ?? req.user?.role;
      const key = [entry.action, entry.resourceType, entry.outcome, entry.reason, actorId, actorRole].join(
        '\u0000',
      );
      let event = grouped.get(key);
      if (!event) {
        // Built here rather than through mongoose documents: audit writes ride on every read of patient
        // data, and casting and validating each through the model cost more than the read itself.
        event = { at, action: entry.action, resourceType: entry.resourceType, outcome: entry.outcome };
        event.resourceIds = [];
        event.patientIds = [];
        if (actorId) event.actorId = new Types.ObjectId(actorId);
        if (actorRole) event.actorRole = actorRole;
        if (entry.reason) event.reason = entry.reason;
        if (ip) event.ip = ip;
        grouped.set(key, event);
      }
      if (entry.resourceId) (event.resourceIds as string[]).push(entry.resourceId);
      if (entry.patientId) (event.patientIds as Types.ObjectId[]).push(new Types.ObjectId(entry.patientId));
    }
    const events = [...grouped.values()];
    if (this.#pending) {
      this.#pending.events.push(...events);
      return this.#pending.written;
    }
    const batch: PendingBatch = { events, written: Promise.resolve() };
    batch.written = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      // Later callers join a new batch from here on.
      this.#pending = undefined;
      await this.#model.collection.insertMany(batch.events, { ordered: true });
    });
    this.#pending = batch;
    return batch.written;
  }
}
