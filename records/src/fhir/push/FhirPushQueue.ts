import { AppError, type FhirPushItem, type FhirPushPage, type FhirPushState } from '@telemed/shared';
import { type Collection, type Document, ObjectId } from 'mongodb';
import { assertRole } from '../../access/assertRole.js';
import type { Caller } from '../../access/Caller.js';
import type { AuditLog } from '../../audit/AuditLog.js';
import { auditRefusals } from '../../audit/auditRefusals.js';
import type { Models } from '../../models/registerModels.js';
import type { StoredOutboxItem } from './FhirPushWorker.js';

interface OutboxRow {
  _id: ObjectId;
  patientId: ObjectId;
  fhirOutbox: Omit<StoredOutboxItem, 'bundle' | 'outcome' | 'response'>;
}

interface OutboxOwner {
  _id: ObjectId;
  patientId: ObjectId;
  fhirOutbox?: StoredOutboxItem[];
  fhirPushLease?: { until: Date };
}

const states: FhirPushState[] = ['pending', 'sent', 'failed'];

/**
 * What administrators see of the push and may do to it: its items by state, without their bundles (clinical
 * content), and a failed item sent again. Both are audited: the list as an administrative read, the retry as
 * a change.
 */
export class FhirPushQueue {
  readonly #consultations: Collection<Document>;
  readonly #audit: AuditLog;
  readonly #enabled: boolean;

  /** `enabled`: whether this records service pushes at all (FHIR_PUSH_URL set), which the list tells. */
  constructor(deps: { models: Models; audit: AuditLog; enabled: boolean }) {
    this.#consultations = deps.models.Consultation.collection as unknown as Collection<Document>;
    this.#audit = deps.audit;
    this.#enabled = deps.enabled;
  }

  /**
   * A page of items, newest consultations first, each consultation's items in version order. The first match
   * and the sort walk the `{fhirOutbox.state, _id}` index; only a page's consultations are unwound.
   */
  async list(
    { user, actor }: Caller,
    query: { state?: FhirPushState | undefined; page: number; limit: number },
  ): Promise<FhirPushPage> {
    return auditRefusals(this.#audit, actor, { action: 'read', resourceType: 'fhir-push' }, async () => {
      assertRole(user, ['administrator']);
      const { state, page, limit } = query;
      const match = { 'fhirOutbox.state': state ?? { $in: states } };
      const rows = await this.#consultations
        .aggregate<OutboxRow>([
          { $match: match },
          { $sort: { _id: -1 } },
          {
            $project: {
              patientId: 1,
              'fhirOutbox.version': 1,
              'fhirOutbox.state': 1,
              'fhirOutbox.attempts': 1,
              'fhirOutbox.queuedAt': 1,
              'fhirOutbox.nextAttemptAt': 1,
              'fhirOutbox.lastError': 1,
              'fhirOutbox.sentAt': 1,
            },
          },
          { $unwind: '$fhirOutbox' },
          ...(state ? [{ $match: { 'fhirOutbox.state': state } }] : []),
          { $skip: (page - 1) * limit },
          { $limit: limit + 1 },
        ])
        .toArray();
      await this.#audit.record(actor, {
        action: 'read',
        resourceType: 'fhir-push',
        outcome: 'success',
        reason: `list ${state ?? 'all'}, page ${page}`,
      });
      return {
        items: rows.slice(0, limit).map((row) => toItem(row._id, row.fhirOutbox)),
        page,
        limit,
        hasMore: rows.length > limit,
        enabled: this.#enabled,
      };
    });
  }

  /** Sends a failed item again from now on, unless a later version of its consultation was already sent. */
  async retry({ user, actor }: Caller, consultationId: string, version: number): Promise<FhirPushItem> {
    return auditRefusals(
      this.#audit,
      actor,
      { action: 'update', resourceType: 'fhir-push', resourceId: consultationId },
      async () => {
        assertRole(user, ['administrator']);
        const _id = new ObjectId(consultationId);
        const doc = await this.#consultations.findOne<OutboxOwner>(
          { _id },
          {
            projection: {
              patientId: 1,
              fhirPushLease: 1,
              'fhirOutbox.version': 1,
              'fhirOutbox.state': 1,
              'fhirOutbox.attempts': 1,
              'fhirOutbox.queuedAt': 1,
              'fhirOutbox.lastError': 1,
              'fhirOutbox.sentAt': 1,
            },
          },
        );
        const items = doc?.fhirOutbox ?? [];
        const index = items.findIndex((item) => item.version === version);
        const item = items[index];
        if (!doc || !item)
          throw new AppError('NOT_FOUND', {
            en: 'No such item in the FHIR push.',
            ar: 'لا يوجد هذا العنصر في قائمة الإرسال إلى خادم FHIR.',
          });
        if (item.state !== 'failed')
          throw new AppError('UNPROCESSABLE', {
            en: `This item is ${item.state}: only a failed item is retried.`,
            ar: 'لا يُعاد إرسال إلا عنصر فشل إرساله.',
          });
        if (items.some((later) => later.version > version && later.state === 'sent'))
          throw new AppError('UNPROCESSABLE', {
            en: 'A later version of this consultation was already sent: sending this one would overwrite it.',
            ar: 'أُرسلت نسخة أحدث من هذه الاستشارة؛ إرسال هذه النسخة سيستبدلها بالأقدم.',
          });
        const path = `fhirOutbox.${index}`;
        if (
          !(await this.#consultations.countDocuments(
            { _id, [`${path}.bundle`]: { $exists: true } },
            { limit: 1 },
          ))
        )
          throw new AppError('UNPROCESSABLE', {
            en: 'This item has no bundle to send (it could not be built, or was not valid FHIR); an amendment queues a new one.',
            ar: 'لا توجد حزمة لهذا العنصر لإرسالها (تعذّر بناؤها أو لم تكن FHIR صالحة)؛ يضيف التعديل عنصراً جديداً.',
          });
        const now = new Date();
        // Only while no worker holds the consultation: its release would not know of the item made pending.
        const updated = await this.#consultations.updateOne(
          {
            _id,
            [`${path}.version`]: version,
            [`${path}.state`]: 'failed',
            $or: [{ 'fhirPushLease.until': { $exists: false } }, { 'fhirPushLease.until': { $lte: now } }],
          },
          {
            $set: {
              [`${path}.state`]: 'pending',
              [`${path}.attempts`]: 0,
              [`${path}.nextAttemptAt`]: now,
              fhirPushDueAt: now,
            },
          },
        );
        if (updated.matchedCount === 0) throw new AppError('STALE_WRITE');
        await this.#audit.record(actor, {
          action: 'update',
          resourceType: 'fhir-push',
          resourceId: consultationId,
          patientId: doc.patientId.toHexString(),
          outcome: 'success',
          reason: `retry version ${version}`,
        });
        return toItem(_id, { ...item, state: 'pending', attempts: 0, nextAttemptAt: now });
      },
    );
  }
}

function toItem(consultationId: ObjectId, item: Omit<StoredOutboxItem, 'bundle'>): FhirPushItem {
  return {
    consultationId: consultationId.toHexString(),
    version: item.version,
    state: item.state,
    attempts: item.attempts ?? 0,
    queuedAt: item.queuedAt.toISOString(),
    ...(item.nextAttemptAt && item.state === 'pending'
      ? { nextAttemptAt: item.nextAttemptAt.toISOString() }
      : {}),
    ...(item.lastError ? { lastError: item.lastError } : {}),
    ...(item.sentAt ? { sentAt: item.sentAt.toISOString() } : {}),
  };
}
