import type { AuditEvent } from '@telemed/shared';
import type { Request } from 'express';
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

/**
 * Writes one audit event per read or change of patient data and per refusal. The write is awaited:
 * if the audit trail cannot be written, the request fails rather than going unrecorded.
 */
export class AuditLog {
  readonly #model: Models['AuditEvent'];

  constructor(model: Models['AuditEvent']) {
    this.#model = model;
  }

  async record(req: Request, entry: AuditEntry): Promise<void> {
    await this.#model.create({
      at: new Date(),
      actorId: entry.actorId ?? req.user?.id,
      actorRole: entry.actorRole ?? req.user?.role,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      patientId: entry.patientId,
      outcome: entry.outcome,
      reason: entry.reason,
      ip: clientIp(req),
    });
  }

  /** Many reads at once (a list of patients): one insert for the lot. */
  async recordMany(req: Request, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const at = new Date();
    await this.#model.insertMany(
      entries.map((entry) => ({
        at,
        actorId: req.user?.id,
        actorRole: req.user?.role,
        ip: clientIp(req),
        ...entry,
      })),
    );
  }
}
