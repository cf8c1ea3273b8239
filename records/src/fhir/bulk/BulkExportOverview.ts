import type { BulkExportState, BulkExportSummary, Page } from '@telemed/shared';
import type { Types } from 'mongoose';
import { assertRole } from '../../access/assertRole.js';
import type { Caller } from '../../access/Caller.js';
import type { AuditLog } from '../../audit/AuditLog.js';
import { auditRefusals } from '../../audit/auditRefusals.js';
import type { Models } from '../../models/registerModels.js';

interface JobRow {
  _id: Types.ObjectId;
  clientId: Types.ObjectId;
  level: 'system' | 'patient';
  types: string[];
  since?: Date | null;
  status: BulkExportState;
  transactionTime: Date;
  completedAt?: Date | null;
  written?: number;
  estimatedTotal?: number;
}

/** A running export's share done never shows 100 before it completes: the estimate is only an estimate. */
const runningCeiling = 99;

/**
 * What administrators see of Bulk Data exports: each job (running, or kept until its files expire) with its
 * client, types and progress, newest first. Never its files: those are clinical content, fetched only by the
 * system client that started the export. The list is audited as an administrative read.
 */
export class BulkExportOverview {
  readonly #models: Models;
  readonly #audit: AuditLog;

  constructor(models: Models, audit: AuditLog) {
    this.#models = models;
    this.#audit = audit;
  }

  /** A page of jobs, newest first (the `_id` index; expired jobs the TTL has not yet removed left out). */
  async list(
    { user, actor }: Caller,
    query: { page: number; limit: number },
  ): Promise<Page<BulkExportSummary>> {
    return auditRefusals(
      this.#audit,
      actor,
      { action: 'read', resourceType: 'fhir-bulk-export' },
      async () => {
        assertRole(user, ['administrator']);
        const { page, limit } = query;
        const rows = await this.#models.BulkExportJob.find(
          { expiresAt: { $gt: new Date() } },
          {
            clientId: 1,
            level: 1,
            types: 1,
            since: 1,
            status: 1,
            transactionTime: 1,
            completedAt: 1,
            written: 1,
            estimatedTotal: 1,
          },
        )
          .sort({ _id: -1 })
          .skip((page - 1) * limit)
          .limit(limit + 1)
          .lean<JobRow[]>();
        const jobs = rows.slice(0, limit);
        const clientIds = [...new Set(jobs.map((job) => job.clientId.toHexString()))];
        const clients = await this.#models.SystemClient.find({ _id: { $in: clientIds } }, { name: 1 }).lean<
          { _id: Types.ObjectId; name: string }[]
        >();
        const names = new Map(clients.map((client) => [client._id.toHexString(), client.name]));
        await this.#audit.record(actor, {
          action: 'read',
          resourceType: 'fhir-bulk-export',
          outcome: 'success',
          reason: `list, page ${page}`,
        });
        return {
          items: jobs.map((job) => toSummary(job, names.get(job.clientId.toHexString()))),
          page,
          limit,
          hasMore: rows.length > limit,
        };
      },
    );
  }
}

function toSummary(job: JobRow, clientName: string | undefined): BulkExportSummary {
  const written = job.written ?? 0;
  const estimatedTotal = job.estimatedTotal ?? 0;
  return {
    id: job._id.toHexString(),
    clientId: job.clientId.toHexString(),
    ...(clientName !== undefined ? { clientName } : {}),
    level: job.level,
    types: job.types,
    ...(job.since ? { since: job.since.toISOString() } : {}),
    state: job.status,
    startedAt: job.transactionTime.toISOString(),
    ...(job.completedAt ? { completedAt: job.completedAt.toISOString() } : {}),
    written,
    estimatedTotal,
    progressPercent: progressOf(job.status, written, estimatedTotal),
  };
}

function progressOf(state: BulkExportState, written: number, estimatedTotal: number): number {
  if (state === 'completed') return 100;
  if (estimatedTotal <= 0) return 0;
  return Math.min(runningCeiling, Math.floor((written / estimatedTotal) * 100));
}
