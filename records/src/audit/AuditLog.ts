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

  recordMany(req: Request, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const at = new Date();
    const ip = clientIp(req);
    const events = entries.map((entry) => {
      const actorId = entry.actorId ?? req.user?.id;
      // Built here rather than through mongoose documents: audit writes ride on every read of patient data,
      // and casting and validating each event through the model cost more than the read itself.
      const event: Record<string, unknown> = {
        at,
        action: entry.action,
        resourceType: entry.resourceType,
        outcome: entry.outcome,
      };
      if (actorId) event.actorId = new Types.ObjectId(actorId);
      const actorRole = entry.actorRole ?? req.user?.role;
      if (actorRole) event.actorRole = actorRole;
      if (entry.resourceId) event.resourceId = entry.resourceId;
      if (entry.patientId) event.patientId = new Types.ObjectId(entry.patientId);
      if (entry.reason) event.reason = entry.reason;
      if (ip) event.ip = ip;
      return event;
    });
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
