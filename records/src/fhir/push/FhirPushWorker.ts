import { randomUUID } from 'node:crypto';
import type { Bundle } from '@medplum/fhirtypes';
import type { Logger } from '@telemed/service-kit';
import { Client, RESPONSE_KEY } from 'fhir-kit-client';
import type { Collection, Document, ObjectId } from 'mongodb';
import type { AuditLog } from '../../audit/AuditLog.js';
import type { Models } from '../../models/registerModels.js';
import type { FhirPushTarget } from './FhirPushTarget.js';
import { defaultPushBackoff, type PushBackoff, pushRetryDelay } from './pushBackoff.js';
import { judgePushFailure } from './pushFailure.js';

/** One outbox item as stored (see `models/Consultation.ts`). */
export interface StoredOutboxItem {
  version: number;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  queuedAt: Date;
  nextAttemptAt?: Date;
  bundle?: string;
  lastError?: string;
  outcome?: string;
  sentAt?: Date;
  response?: { status: number; entries: string[] };
}

/** What an attempt changes on its item: as update operators, and as the item's new state. */
interface AttemptResult {
  itemSet: Document;
  itemUnset: Document;
  after: Partial<StoredOutboxItem>;
}

interface PushingConsultation {
  _id: ObjectId;
  patientId: ObjectId;
  fhirOutbox?: StoredOutboxItem[];
  fhirPushDueAt?: Date;
  fhirPushLease?: { token: string; until: Date };
}

export interface FhirPushWorkerOptions {
  models: Models;
  target: FhirPushTarget;
  logger: Logger;
  /** Each item sent (or refused) is audited as an export of the patient's data, by the worker. */
  audit: AuditLog;
  /** Attempts at one item before it fails for good. */
  maxAttempts?: number;
  backoff?: PushBackoff;
  /** How long a claim holds; longer than `timeoutMs`, so a live worker never loses its claim mid-send. */
  leaseMs?: number;
  /** How long one transaction may take before it counts as no answer. */
  timeoutMs?: number;
  /** How often the outbox is looked at. */
  pollMs?: number;
}

/**
 * Sends the outbox's items to the hospital's FHIR server, one consultation at a time, its items in version
 * order (an amendment never overtakes its signature). Every records process runs one: a consultation is
 * claimed with a lease by one atomic findOneAndUpdate, so two processes (or nodes) never send its items at
 * the same time, and a claim left by a process that died expires and is taken again: nothing queued is lost.
 */
export class FhirPushWorker {
  readonly #consultations: Collection<PushingConsultation>;
  readonly #client: Client;
  readonly #logger: Logger;
  readonly #audit: AuditLog;
  readonly #maxAttempts: number;
  readonly #backoff: PushBackoff;
  readonly #leaseMs: number;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  /** Set by `stop`: a drain under way ends after its current item. */
  #closing = false;

  constructor(options: FhirPushWorkerOptions) {
    this.#consultations = options.models.Consultation
      .collection as unknown as Collection<PushingConsultation>;
    this.#client = new Client({ baseUrl: options.target.url, customHeaders: options.target.headers });
    this.#logger = options.logger;
    this.#audit = options.audit;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#backoff = options.backoff ?? defaultPushBackoff;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#leaseMs = Math.max(options.leaseMs ?? 120_000, this.#timeoutMs * 2);
    this.#pollMs = options.pollMs ?? 1_000;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#closing = false;
    this.#schedule(0);
  }

  /** Stops polling and waits for the item being sent, if any: its outcome is recorded before the end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closing = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Sends what is due now, up to `limit` items; answers how many were handled. */
  async drain(limit = 50): Promise<number> {
    let handled = 0;
    while (handled < limit && !this.#closing) {
      const claimed = await this.#claim();
      if (!claimed) break;
      await this.#handle(claimed.doc, claimed.token);
      handled += 1;
    }
    return handled;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.drain()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.#logger.error({ err: error }, 'fhir push: the outbox could not be read'),
        )
        .finally(() => this.#schedule(this.#pollMs));
    }, delay);
  }

  async #claim(): Promise<{ doc: PushingConsultation; token: string } | null> {
    const now = new Date();
    const token = randomUUID();
    const doc = await this.#consultations.findOneAndUpdate(
      {
        fhirPushDueAt: { $lte: now },
        $or: [{ 'fhirPushLease.until': { $exists: false } }, { 'fhirPushLease.until': { $lte: now } }],
      },
      { $set: { fhirPushLease: { token, until: new Date(now.getTime() + this.#leaseMs) } } },
      { sort: { fhirPushDueAt: 1 }, projection: { patientId: 1, fhirOutbox: 1 }, returnDocument: 'after' },
    );
    return doc ? { doc, token } : null;
  }

  async #handle(doc: PushingConsultation, token: string): Promise<void> {
    let items = doc.fhirOutbox ?? [];
    const index = items.findIndex((item) => item.state === 'pending');
    const item = items[index];
    const now = new Date();
    let change: AttemptResult = { itemSet: {}, itemUnset: {}, after: {} };
    if (item && (item.nextAttemptAt ?? now) <= now) change = await this.#attempt(doc._id, index, item);
    const { itemSet, itemUnset, after } = change;
    if (item && after.state) {
      await this.#audit.record(
        { via: 'worker' },
        {
          action: 'export',
          resourceType: 'consultation',
          resourceId: doc._id.toHexString(),
          patientId: doc.patientId.toHexString(),
          outcome: after.state === 'sent' ? 'success' : 'failed',
          reason: `fhir push of version ${item.version}`,
        },
      );
    }
    // Released with the due time of the first item still pending, from the outbox as it is now: an amendment
    // may have queued an item meanwhile, which the condition on the outbox's length notices.
    for (;;) {
      const updated = items.map((it, i) => (i === index ? { ...it, ...after } : it));
      const due = updated.find((it) => it.state === 'pending')?.nextAttemptAt;
      const released = await this.#consultations.updateOne(
        { _id: doc._id, 'fhirPushLease.token': token, [`fhirOutbox.${items.length}`]: { $exists: false } },
        {
          $set: { ...itemSet, ...(due ? { fhirPushDueAt: due } : {}) },
          $unset: { ...itemUnset, fhirPushLease: '', ...(due ? {} : { fhirPushDueAt: '' }) },
        },
      );
      if (released.matchedCount === 1) return;
      const again = await this.#consultations.findOne(
        { _id: doc._id, 'fhirPushLease.token': token },
        { projection: { fhirOutbox: 1 } },
      );
      if (!again) {
        this.#logger.warn({ consultationId: doc._id.toHexString() }, 'fhir push: claim lost before release');
        return;
      }
      items = again.fhirOutbox ?? [];
    }
  }

  /** One attempt at an item: the fields to set and unset on it afterwards. */
  async #attempt(consultationId: ObjectId, index: number, item: StoredOutboxItem): Promise<AttemptResult> {
    const path = `fhirOutbox.${index}`;
    const attempts = item.attempts + 1;
    const log = { consultationId: consultationId.toHexString(), version: item.version, attempts };
    try {
      const bundle = JSON.parse(item.bundle ?? '{}') as Bundle;
      const answer = await this.#client.transaction({
        body: bundle as never,
        options: { signal: AbortSignal.timeout(this.#timeoutMs) },
      });
      const entries = ((answer as unknown as Bundle).entry ?? []).map(
        (entry) => entry.response?.status ?? '',
      );
      const status = (answer as { [RESPONSE_KEY]?: Response })[RESPONSE_KEY]?.status ?? 200;
      this.#logger.info({ ...log, status, entries: entries.length }, 'fhir push: sent');
      return {
        itemSet: {
          [`${path}.state`]: 'sent',
          [`${path}.attempts`]: attempts,
          [`${path}.sentAt`]: new Date(),
          [`${path}.response`]: { status, entries },
        },
        itemUnset: { [`${path}.bundle`]: '', [`${path}.nextAttemptAt`]: '' },
        after: { state: 'sent', nextAttemptAt: undefined },
      };
    } catch (error) {
      const failure = judgePushFailure(error);
      if (failure.kind === 'refused' || attempts >= this.#maxAttempts) {
        this.#logger.error({ ...log, error: failure.message }, 'fhir push: failed');
        return {
          itemSet: {
            [`${path}.state`]: 'failed',
            [`${path}.attempts`]: attempts,
            [`${path}.lastError`]: failure.message,
            ...(failure.kind === 'refused' ? { [`${path}.outcome`]: JSON.stringify(failure.outcome) } : {}),
          },
          itemUnset: { [`${path}.nextAttemptAt`]: '' },
          after: { state: 'failed', nextAttemptAt: undefined },
        };
      }
      const nextAttemptAt = new Date(Date.now() + pushRetryDelay(attempts, this.#backoff));
      this.#logger.warn({ ...log, error: failure.message, nextAttemptAt }, 'fhir push: will retry');
      return {
        itemSet: {
          [`${path}.attempts`]: attempts,
          [`${path}.lastError`]: failure.message,
          [`${path}.nextAttemptAt`]: nextAttemptAt,
        },
        itemUnset: {},
        after: { nextAttemptAt },
      };
    }
  }
}
