import type { NoteListStatus, NoteSummary, Page, PageQuery } from '@telemed/shared';
import { Types } from 'mongoose';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRefusals } from '../audit/auditRefusals.js';
import type { Models } from '../models/registerModels.js';
import { consultationReadEntry } from './consultationAudit.js';

/** The list's filter per asked status; "amended" is a signed note with at least one amendment kept. */
const statusFilters: Record<NoteListStatus, Record<string, unknown>> = {
  draft: { status: 'draft' },
  signed: { status: 'signed' },
  amended: { status: 'signed', 'amendments.0': { $exists: true } },
};

/**
 * A specialist's own notes, newest first, a page at a time: what "my notes" shows. Only the notes they are
 * the specialist of (the `specialistId, createdAt` index answers it without a scan), with the patient's name
 * looked up once per page. Each listed note is audited as a read by its party.
 */
export class SpecialistNoteList {
  readonly #models: Models;
  readonly #audit: AuditLog;

  constructor(deps: { models: Models; audit: AuditLog }) {
    this.#models = deps.models;
    this.#audit = deps.audit;
  }

  async list(
    { user, actor }: Caller,
    { status, page, limit }: { status?: NoteListStatus | undefined } & PageQuery,
  ): Promise<Page<NoteSummary>> {
    return auditRefusals(this.#audit, actor, { action: 'read', resourceType: 'consultation' }, async () => {
      assertRole(user, ['specialist']);
      const filter = { specialistId: new Types.ObjectId(user.id), ...(status ? statusFilters[status] : {}) };
      const docs = await this.#models.Consultation.find(filter, {
        appointmentId: 1,
        patientId: 1,
        status: 1,
        version: 1,
        'content.diagnoses': 1,
        'amendments.version': 1,
        signedAt: 1,
        createdAt: 1,
        updatedAt: 1,
      })
        .sort({ createdAt: -1 })
        .skip((page - 1) * limit)
        .limit(limit + 1)
        .lean();
      const shown = docs.slice(0, limit);
      const patientIds = [...new Set(shown.map((d) => d.patientId.toHexString()))];
      const patients = await this.#models.Patient.find(
        { _id: { $in: patientIds.map((id) => new Types.ObjectId(id)) } },
        { name: 1, mrn: 1 },
      ).lean();
      const patientById = new Map(patients.map((p) => [p._id.toHexString(), p]));
      if (shown.length > 0) {
        await this.#audit.recordMany(
          actor,
          shown.map((doc) => consultationReadEntry(doc, 'party', 'list: my notes')),
        );
      }
      return {
        items: shown.map((doc) => {
          const patient = patientById.get(doc.patientId.toHexString());
          // Dotted projections are not in mongoose's inferred type: the two partial fields, as projected.
          const partial = doc as unknown as {
            amendments?: unknown[];
            content?: { diagnoses?: { code: string }[] };
          };
          return {
            id: doc._id.toHexString(),
            appointmentId: doc.appointmentId.toHexString(),
            patientId: doc.patientId.toHexString(),
            status: doc.status as NoteSummary['status'],
            version: doc.version,
            amendmentCount: partial.amendments?.length ?? 0,
            diagnosisCodes: (partial.content?.diagnoses ?? []).map((d) => d.code),
            signedAt: doc.signedAt?.toISOString(),
            createdAt: doc.createdAt.toISOString(),
            updatedAt: doc.updatedAt.toISOString(),
            patient: patient
              ? { name: { ar: patient.name.ar, latin: patient.name.latin }, mrn: patient.mrn }
              : undefined,
          };
        }),
        page,
        limit,
        hasMore: docs.length > limit,
      };
    });
  }
}
