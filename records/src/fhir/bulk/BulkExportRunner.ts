import { randomUUID } from 'node:crypto';
import type { Logger } from '@telemed/service-kit';
import type { Types } from 'mongoose';
import type { Models } from '../../models/registerModels.js';
import type { BulkSourceTable } from './BulkSourceTable.js';

export interface BulkRunnerOptions {
  /** A chunk document is written once its NDJSON reaches this many bytes (whole lines only). */
  chunkBytes?: number;
  /** How long a node's claim on a job lasts without renewal; renewed at every chunk. */
  leaseMs?: number;
  /** How often this node looks for jobs whose lease expired (their node died). */
  sweepMs?: number;
}

interface ClaimedJob {
  _id: Types.ObjectId;
  types: string[];
  since?: Date | null;
  expiresAt: Date;
}

/**
 * Runs exports in the background, durably: the job and its NDJSON output live in the database, a node holds a
 * lease on the job it runs and renews it with every chunk, and a node that finds a lapsed lease (its runner
 * died with its node) takes the job over and writes it again from the start. Output is written in chunks of
 * whole lines as the source's cursor yields them: memory stays at one chunk per running export.
 */
export class BulkExportRunner {
  readonly #models: Models;
  readonly #sources: BulkSourceTable;
  readonly #logger: Logger;
  readonly #nodeId = randomUUID();
  readonly #chunkBytes: number;
  readonly #leaseMs: number;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #sweeper: NodeJS.Timeout;
  /** Set by `stop`: runs end because this node shuts down, not because their job was cancelled. */
  #stopping = false;

  constructor(models: Models, sources: BulkSourceTable, logger: Logger, options: BulkRunnerOptions = {}) {
    this.#models = models;
    this.#sources = sources;
    this.#logger = logger;
    this.#chunkBytes = options.chunkBytes ?? 256 * 1024;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#sweeper = setInterval(() => void this.#sweep(), options.sweepMs ?? 10_000);
    this.#sweeper.unref();
  }

  /** Starts `jobId` here if no live node holds it. Resolves when it ends (tests wait on it; routes do not). */
  async start(jobId: string): Promise<void> {
    if (this.#stopping) return;
    const claimed = await this.#models.BulkExportJob.findOneAndUpdate(
      {
        _id: jobId,
        status: 'in-progress',
        $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: null }, { leaseUntil: { $lt: new Date() } }],
      },
      { $set: { leaseOwner: this.#nodeId, leaseUntil: new Date(Date.now() + this.#leaseMs) } },
      { returnDocument: 'after' },
    ).lean();
    if (!claimed || this.#running.has(jobId)) return;
    const controller = new AbortController();
    const done = this.#runClaimed(claimed, controller.signal);
    this.#running.set(jobId, { controller, done });
    await done;
  }

  /** Never rejects: a failure is recorded on the job, and one that cannot be recorded is logged. */
  async #runClaimed(claimed: ClaimedJob, signal: AbortSignal): Promise<void> {
    const jobId = claimed._id.toHexString();
    try {
      await this.#run(claimed, signal);
      // Stopped with its node, the job keeps its chunks and state: the node that takes it over rewrites them.
      if (signal.aborted && !this.#stopping) {
        // A chunk written while the cancel deleted the others would otherwise stay until it expires.
        await this.#models.BulkExportChunk.deleteMany({ jobId: claimed._id });
      }
    } catch (error) {
      if (this.#stopping) {
        this.#logger.warn(
          { err: error, jobId },
          'bulk export interrupted by shutdown; another node takes it over',
        );
        return;
      }
      this.#logger.error({ err: error, jobId }, 'bulk export failed');
      await this.#models.BulkExportJob.updateOne(
        { _id: jobId, status: 'in-progress', leaseOwner: this.#nodeId },
        { $set: { status: 'failed', errorMessage: (error as Error).message, completedAt: new Date() } },
      ).catch((updateError: unknown) => {
        this.#logger.error({ err: updateError, jobId }, 'could not record a failed bulk export');
      });
    } finally {
      this.#running.delete(jobId);
    }
  }

  /** Stops this node's run of `jobId` at once (the job was cancelled here). */
  abort(jobId: string): void {
    this.#running.get(jobId)?.controller.abort();
  }

  /**
   * Shuts the runner down with its node: no new runs, running ones stop writing, and this resolves once they
   * have (so the database connection can close after). Their leases are left to lapse, as a crashed node's
   * would: another node takes the jobs over, so a restart loses no export.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#sweeper);
    const runs = [...this.#running.values()];
    for (const { controller } of runs) controller.abort();
    await Promise.all(runs.map(({ done }) => done));
  }

  async #sweep(): Promise<void> {
    if (this.#stopping) return;
    try {
      const lapsed = await this.#models.BulkExportJob.find(
        { status: 'in-progress', leaseUntil: { $lt: new Date() } },
        { _id: 1 },
      )
        .limit(10)
        .lean();
      for (const job of lapsed) void this.start(job._id.toHexString());
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not look for lapsed bulk exports');
    }
  }

  async #run(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const jobId = job._id;
    const since = job.since ?? undefined;
    // A takeover writes everything again: chunks of the dead node's run are dropped first.
    await this.#models.BulkExportChunk.deleteMany({ jobId });
    let estimatedTotal = 0;
    for (const type of job.types) estimatedTotal += (await this.#sources.get(type)?.estimate(since)) ?? 0;
    await this.#models.BulkExportJob.updateOne(
      { _id: jobId },
      { $set: { written: 0, estimatedTotal, output: [] } },
    );

    let written = 0;
    const output: { type: string; count: number }[] = [];
    for (const type of job.types) {
      const source = this.#sources.get(type);
      if (!source) continue;
      let lines: string[] = [];
      let bytes = 0;
      let seq = 0;
      let count = 0;
      const flush = async () => {
        if (lines.length === 0) return;
        await this.#models.BulkExportChunk.create({
          jobId,
          type,
          seq,
          lines: lines.length,
          ndjson: `${lines.join('\n')}\n`,
          expiresAt: job.expiresAt,
        });
        seq += 1;
        written += lines.length;
        lines = [];
        bytes = 0;
        await this.#checkpoint(jobId, written, signal);
      };
      for await (const resource of source.stream(since, signal)) {
        if (signal.aborted) return;
        const line = JSON.stringify(resource);
        lines.push(line);
        bytes += Buffer.byteLength(line) + 1;
        count += 1;
        if (bytes >= this.#chunkBytes) await flush();
        if (signal.aborted) return;
      }
      await flush();
      if (signal.aborted) return;
      if (count > 0) output.push({ type, count });
    }
    await this.#models.BulkExportJob.updateOne(
      { _id: jobId, status: 'in-progress', leaseOwner: this.#nodeId },
      { $set: { status: 'completed', written, output, completedAt: new Date() }, $unset: { leaseUntil: 1 } },
    );
  }

  /**
   * Records progress and renews the lease; finds out whether the job was cancelled (on any node) or taken over,
   * and if so aborts this run.
   */
  async #checkpoint(jobId: Types.ObjectId, written: number, signal: AbortSignal): Promise<void> {
    const renewed = await this.#models.BulkExportJob.updateOne(
      { _id: jobId, status: 'in-progress', leaseOwner: this.#nodeId },
      { $set: { written, leaseUntil: new Date(Date.now() + this.#leaseMs) } },
    );
    if (renewed.matchedCount === 0 && !signal.aborted) this.abort(jobId.toHexString());
  }
}
