import { AppError } from '@telemed/shared';
import { Types } from 'mongoose';
import type { AuditLog } from '../../audit/AuditLog.js';
import type { Models } from '../../models/registerModels.js';
import { scopeCovers } from '../../systemClients/ClientCredentialsGrant.js';
import type { FhirCaller } from '../http/FhirCaller.js';
import type { BulkExportRunner } from './BulkExportRunner.js';
import type { ExportRequest } from './parseExportRequest.js';

/** How long a finished export's files can be fetched. */
const retentionMs = 24 * 3600_000;

export type ExportStatus =
  | { state: 'running'; written: number; estimatedTotal: number }
  | {
      state: 'completed';
      transactionTime: Date;
      request: string;
      output: { type: string; count: number }[];
    }
  | { state: 'failed'; message: string };

interface StoredJob {
  _id: Types.ObjectId;
  clientId: Types.ObjectId;
  request: string;
  status: string;
  transactionTime: Date;
  written?: number;
  estimatedTotal?: number;
  output?: { type: string; count: number }[];
  errorMessage?: string | null;
}

/**
 * The rules of Bulk Data export: only a system client whose scopes cover every type asked for may start one,
 * and only the client that started a job sees its status and files or cancels it. Every kick-off, file read,
 * cancel and refusal is audited, naming the client.
 */
export class BulkExportService {
  readonly #models: Models;
  readonly #audit: AuditLog;
  readonly #runner: BulkExportRunner;

  constructor(models: Models, audit: AuditLog, runner: BulkExportRunner) {
    this.#models = models;
    this.#audit = audit;
    this.#runner = runner;
  }

  /** Records the job and starts it in the background; answers its id. */
  async kickOff(caller: FhirCaller, request: ExportRequest, requestUrl: string): Promise<string> {
    const client = await this.#assertMayExport(caller, request.types);
    const job = await this.#models.BulkExportJob.create({
      clientId: new Types.ObjectId(client.id),
      request: requestUrl,
      level: request.level,
      types: request.types,
      since: request.since,
      status: 'in-progress',
      transactionTime: new Date(),
      expiresAt: new Date(Date.now() + retentionMs),
    });
    const jobId = job._id.toHexString();
    await this.#audit.record(caller.actor, {
      action: 'export',
      resourceType: 'fhir-bulk-export',
      resourceId: jobId,
      outcome: 'success',
      reason: `kick-off ${request.level} ${request.types.join(',')}${request.since ? ` since ${request.since.toISOString()}` : ''}`,
    });
    void this.#runner.start(jobId);
    return jobId;
  }

  async status(caller: FhirCaller, jobId: string): Promise<ExportStatus> {
    const job = await this.#ownJob(caller, jobId);
    if (job.status === 'in-progress') {
      return { state: 'running', written: job.written ?? 0, estimatedTotal: job.estimatedTotal ?? 0 };
    }
    if (job.status === 'failed') return { state: 'failed', message: job.errorMessage ?? 'failed' };
    return {
      state: 'completed',
      transactionTime: job.transactionTime,
      request: job.request,
      output: job.output ?? [],
    };
  }

  /** The NDJSON of one output file, chunk by chunk from a cursor (never the whole file in memory). */
  async *file(caller: FhirCaller, jobId: string, type: string): AsyncGenerator<string> {
    const job = await this.#ownJob(caller, jobId);
    if (job.status !== 'completed' || !(job.output ?? []).some((o) => o.type === type)) {
      throw new AppError('NOT_FOUND', {
        en: `This export has no ${type} file (yet).`,
        ar: `لا يوجد ملف ${type} لهذا التصدير (بعد).`,
      });
    }
    await this.#audit.record(caller.actor, {
      action: 'export',
      resourceType: 'fhir-bulk-export',
      resourceId: jobId,
      outcome: 'success',
      reason: `file ${type}`,
    });
    const cursor = this.#models.BulkExportChunk.find({ jobId: job._id, type }, { ndjson: 1 })
      .sort({ seq: 1 })
      .lean()
      .cursor({ batchSize: 4 });
    for await (const chunk of cursor) yield chunk.ndjson as string;
  }

  /** Cancels a running export or deletes a finished one's files: afterwards both answer 404. */
  async cancel(caller: FhirCaller, jobId: string): Promise<void> {
    const job = await this.#ownJob(caller, jobId);
    await this.#models.BulkExportJob.updateOne(
      { _id: job._id },
      { $set: { status: 'cancelled', completedAt: new Date() }, $unset: { leaseUntil: 1 } },
    );
    this.#runner.abort(jobId);
    await this.#models.BulkExportChunk.deleteMany({ jobId: job._id });
    await this.#audit.record(caller.actor, {
      action: 'delete',
      resourceType: 'fhir-bulk-export',
      resourceId: jobId,
      outcome: 'success',
      reason: job.status === 'in-progress' ? 'cancelled' : 'files deleted',
    });
  }

  async #assertMayExport(caller: FhirCaller, types: string[]) {
    if (caller.kind !== 'system') {
      throw new AppError('FORBIDDEN', {
        en: 'Bulk Data export is for registered system clients (SMART Backend Services), not for user accounts.',
        ar: 'التصدير المجمّع متاح للأنظمة العميلة المسجّلة (SMART Backend Services) فقط، لا لحسابات المستخدمين.',
      });
    }
    const uncovered = types.filter(
      (type) => !caller.client.scopes.some((s) => scopeCovers(s, `system/${type}.read`)),
    );
    if (uncovered.length > 0) {
      throw new AppError('FORBIDDEN', {
        en: `The token's scopes (${caller.client.scopes.join(' ')}) do not cover ${uncovered.join(', ')}.`,
        ar: `نطاقات الرمز (${caller.client.scopes.join(' ')}) لا تشمل ${uncovered.join('، ')}.`,
      });
    }
    return caller.client;
  }

  /** The caller's own job, live (neither cancelled nor expired); any other job is a refusal or a 404. */
  async #ownJob(caller: FhirCaller, jobId: string): Promise<StoredJob> {
    const notFound = new AppError('NOT_FOUND', {
      en: 'No such export: it never existed, was cancelled, or its files expired.',
      ar: 'لا يوجد تصدير بهذا المعرّف: إما لم يوجد أصلاً أو أُلغي أو انتهت صلاحية ملفاته.',
    });
    if (!Types.ObjectId.isValid(jobId) || !/^[0-9a-f]{24}$/i.test(jobId)) throw notFound;
    const job = await this.#models.BulkExportJob.findById(jobId).lean<StoredJob>();
    if (!job || job.status === 'cancelled') throw notFound;
    if (caller.kind !== 'system' || job.clientId.toHexString() !== caller.client.id) {
      throw new AppError('FORBIDDEN', {
        en: 'This export belongs to another system client.',
        ar: 'هذا التصدير يخص نظاماً عميلاً آخر.',
      });
    }
    return job;
  }
}
