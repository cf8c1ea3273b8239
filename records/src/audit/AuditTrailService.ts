import {
  AppError,
  type AuditEvent,
  type AuditPatient,
  type AuditPerson,
  type AuditQuery,
  auditExportLimit,
  type Page,
  type PageQuery,
} from '@telemed/shared';
import { Types } from 'mongoose';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import { toApi } from '../api/serialize.js';
import { parseId } from '../api/validate.js';
import { findPage } from '../db/findPage.js';
import type { Models } from '../models/registerModels.js';
import { patientSearchFilter } from '../patients/patientSearchFilter.js';
import { normalizeSearchText } from '../text/normalizeSearchText.js';
import type { AuditLog } from './AuditLog.js';
import { AuditNames } from './AuditNames.js';
import { auditEventFilter } from './auditEventFilter.js';
import { auditRefusals } from './auditRefusals.js';

/** Who may do what; routes check them first, before reading any input. */
export const auditTrailRoles = {
  trail: ['auditor', 'administrator'],
  /** Finding a person to filter by: the names of accounts, not the account list (which is administrators'). */
  people: ['auditor', 'administrator'],
  /** Finding a patient to filter by: auditors only; administrators find patients through the patient search. */
  patients: ['auditor'],
} as const;

type Named = { _id: Types.ObjectId; name: { ar: string; latin: string } };
type PersonRow = Named & {
  username: string;
  role: AuditPerson['role'];
  active?: boolean;
  organizationId: Types.ObjectId;
};
type PatientRow = Named & { mrn: string; clinicId: Types.ObjectId };
type OrganizationRow = { _id: Types.ObjectId; name: { ar: string; en: string } };

/** Events read and named per batch while exporting: large enough to be few reads, small enough to stream. */
const exportBatch = 1000;

/**
 * The audit trail as auditors read it: pages, one event, the CSV export, each naming its people and patients
 * (AuditNames), and the lookups that let an auditor filter by a person or a patient found by name. Reading the
 * trail, and every patient a lookup answers, is itself audited.
 */
export class AuditTrailService {
  readonly #models: Models;
  readonly #audit: AuditLog;
  readonly #names: AuditNames;

  constructor(deps: { models: Models; audit: AuditLog }) {
    this.#models = deps.models;
    this.#audit = deps.audit;
    this.#names = new AuditNames(deps.models);
  }

  /** A page of the trail, newest first. No total: counting a million events on every page costs more than it tells. */
  async page(
    { actor }: Caller,
    query: AuditQuery,
    { page, limit }: PageQuery,
  ): Promise<{ items: AuditEvent[]; page: number; limit: number }> {
    const docs = await this.#models.AuditEvent.find(auditEventFilter(query))
      .sort({ at: -1 })
      .skip((page - 1) * limit)
      .limit(limit)
      .lean();
    await this.#audit.record(actor, {
      action: 'read',
      resourceType: 'audit-log',
      outcome: 'success',
      reason: JSON.stringify(query).slice(0, 200),
    });
    return { items: await this.#names.name(docs.map((d) => toApi<AuditEvent>(d))), page, limit };
  }

  async one({ actor }: Caller, rawId: string): Promise<AuditEvent> {
    const id = parseId(rawId, 'audit event');
    const doc = await this.#models.AuditEvent.findById(id).lean();
    // Audited like a page of the trail: who looked at which event (found or not) is itself part of the record.
    await this.#audit.record(actor, {
      action: 'read',
      resourceType: 'audit-log',
      resourceId: id,
      outcome: doc ? 'success' : 'failed',
    });
    if (!doc)
      throw new AppError('NOT_FOUND', {
        en: 'No such audit event.',
        ar: 'هذا الحدث غير موجود في سجل التدقيق.',
      });
    const [named] = await this.#names.name([toApi<AuditEvent>(doc)]);
    return named as AuditEvent;
  }

  /**
   * The filtered trail for export, newest first, at most `auditExportLimit` events, named a batch at a time:
   * the export never holds the whole trail in memory. Audited before the first event: an export cut off
   * half-way has still been taken.
   */
  async *export({ actor }: Caller, query: AuditQuery): AsyncGenerator<AuditEvent[]> {
    await this.#audit.record(actor, {
      action: 'export',
      resourceType: 'audit-log',
      outcome: 'success',
      reason: JSON.stringify(query).slice(0, 200),
    });
    const events = this.#models.AuditEvent.find(auditEventFilter(query))
      .sort({ at: -1 })
      .limit(auditExportLimit)
      .lean()
      .cursor({ batchSize: exportBatch });
    let batch: AuditEvent[] = [];
    for await (const doc of events) {
      batch.push(toApi<AuditEvent>(doc));
      if (batch.length === exportBatch) {
        yield await this.#names.name(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield await this.#names.name(batch);
  }

  /**
   * Accounts whose name or username holds every word of `q`, by username. A ministry's accounts run to
   * thousands, not millions: a page of a filtered read of them is cheap, and names need no index of their own.
   */
  async people(
    caller: Caller,
    q: string | undefined,
    { page, limit }: PageQuery,
  ): Promise<Page<AuditPerson>> {
    assertRole(caller.user, auditTrailRoles.people);
    const words = (q ?? '').split(/\s+/).filter((word) => word.length > 0);
    const filter =
      words.length === 0
        ? {}
        : {
            $and: words.map((word) => {
              const pattern = { $regex: escapeRegex(word), $options: 'i' };
              return { $or: [{ username: pattern }, { 'name.latin': pattern }, { 'name.ar': pattern }] };
            }),
          };
    const found = await findPage<PersonRow>(this.#models.User, {
      filter,
      projection: { username: 1, name: 1, role: 1, active: 1, organizationId: 1 },
      sort: { username: 1 },
      skip: (page - 1) * limit,
      limit: limit + 1,
    });
    const rows = found.slice(0, limit);
    const organizations = await this.#organizations(rows.map((row) => row.organizationId));
    const items = rows.map((row) => {
      const organization = organizations.get(row.organizationId.toHexString());
      return {
        id: row._id.toHexString(),
        username: row.username,
        name: { ar: row.name.ar, latin: row.name.latin },
        role: row.role,
        active: row.active !== false,
        ...(organization ? { organization } : {}),
      };
    });
    return { items, page, limit, hasMore: found.length > limit };
  }

  /**
   * Patients by name words, MRN or national ID through the patient search's indexes: identity and clinic, no
   * clinical field. Each patient answered is audited as read by the auditor: a lookup reads who they are.
   */
  patients(caller: Caller, q: string | undefined, { page, limit }: PageQuery): Promise<Page<AuditPatient>> {
    const subject = { action: 'read' as const, resourceType: 'audit-patients' };
    return auditRefusals(this.#audit, caller.actor, subject, async () => {
      assertRole(caller.user, auditTrailRoles.patients);
      const found = await findPage<PatientRow>(this.#models.Patient, {
        filter: patientSearchFilter(q),
        projection: { name: 1, mrn: 1, clinicId: 1 },
        skip: (page - 1) * limit,
        limit: limit + 1,
      });
      const rows = found.slice(0, limit);
      const reason = q ? `audit lookup "${normalizeSearchText(q).slice(0, 40)}"` : 'audit lookup';
      const [clinics] = await Promise.all([
        this.#organizations(rows.map((row) => row.clinicId)),
        this.#audit.recordMany(
          caller.actor,
          rows.map((row) => {
            const id = row._id.toHexString();
            return {
              action: 'read',
              resourceType: 'patient',
              resourceId: id,
              patientId: id,
              outcome: 'success',
              reason,
            };
          }),
        ),
      ]);
      const items = rows.map((row) => {
        const clinic = clinics.get(row.clinicId.toHexString());
        return {
          id: row._id.toHexString(),
          name: { ar: row.name.ar, latin: row.name.latin },
          mrn: row.mrn,
          ...(clinic ? { clinic } : {}),
        };
      });
      return { items, page, limit, hasMore: found.length > limit };
    });
  }

  /** The organizations of a page's rows, with one read. */
  async #organizations(ids: Types.ObjectId[]) {
    const unique = [...new Set(ids.map((id) => id.toHexString()))];
    if (unique.length === 0) return new Map<string, { id: string; name: { ar: string; en: string } }>();
    const rows = await findPage<OrganizationRow>(this.#models.Organization, {
      filter: { _id: { $in: unique.map((id) => new Types.ObjectId(id)) } },
      projection: { name: 1 },
      limit: unique.length,
    });
    return new Map(
      rows.map((row) => [
        row._id.toHexString(),
        { id: row._id.toHexString(), name: { ar: row.name.ar, en: row.name.en } },
      ]),
    );
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
