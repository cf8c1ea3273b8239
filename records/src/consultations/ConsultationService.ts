import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AppError,
  type Consultation,
  type ConsultationContent,
  type consultationAmendmentSchema,
  type consultationUpdateSchema,
  type VitalSign,
  type VitalSignInput,
} from '@telemed/shared';
import { GridFSBucket, ObjectId } from 'mongodb';
import { type Connection, Types } from 'mongoose';
import type { z } from 'zod';
import type { AccessPolicy } from '../access/AccessPolicy.js';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import { toApi } from '../api/serialize.js';
import { parseId } from '../api/validate.js';
import type { AuditActor } from '../audit/AuditActor.js';
import type { AuditEntry, AuditLog } from '../audit/AuditLog.js';
import { auditRefusals } from '../audit/auditRefusals.js';
import type { ConsultationToPush } from '../fhir/push/ConsultationBundleBuilder.js';
import type { FhirOutbox, OutboxUpdate } from '../fhir/push/FhirOutbox.js';
import type { Icd10Catalog } from '../icd10/Icd10Catalog.js';
import type { Models } from '../models/registerModels.js';
import { type ConsultationRef, consultationEntry, consultationReadEntry } from './consultationAudit.js';
import {
  assertAttachment,
  assertDraft,
  assertKnownDiagnoses,
  assertSignable,
  assertSigned,
  assertWritable,
  contentSet,
  maxVitalSigns,
} from './consultationRules.js';

/** Who may do what to a consultation; routes check them first, before reading any input. */
export const consultationRoles = {
  open: ['clinic_doctor', 'specialist'],
  write: ['clinic_doctor', 'specialist'],
  vitalSigns: ['clinic_doctor'],
  sign: ['specialist'],
} as const;

/** The fields the appending writes touch, for typed updates straight through the driver. */
interface ConsultationAppendable {
  _id: Types.ObjectId;
  status: string;
  version: number;
  updatedAt: Date;
  vitalSigns: object[];
}

interface ConsultationAccess extends ConsultationRef {
  clinicId: Types.ObjectId;
  specialistId?: Types.ObjectId;
  appointmentId: Types.ObjectId;
}

/**
 * For an append whose audit event follows at once: acknowledged once applied, not once journaled. The audit
 * event's insert waits for the journal, which is written in order, so the answer still waits until both are
 * on disk (MongoDB's journal and the embedded store's alike), for one disk flush instead of two; a crash
 * before it loses both, and the client was never told of success.
 */
const appliedNow = { writeConcern: { w: 1 } } as const;

type ConsultationUpdate = z.infer<typeof consultationUpdateSchema>;
type ConsultationAmendment = z.infer<typeof consultationAmendmentSchema>;
type ChatMessage = Consultation['chat'][number];
type Attachment = Consultation['attachments'][number];

export interface NewAttachment {
  contentType: string;
  fileName: string;
  body: unknown;
}

/**
 * The clinical encounter of an appointment. Ids come as given (a path segment, an event's field) and are
 * checked here: one that is not an id is NOT_FOUND, never a database error.
 *
 * Edits name the version they saw (a stale one is STALE_WRITE);
 * once signed, a consultation changes only by amendment, which keeps the earlier content. Every read and
 * change is audited here, whoever calls: a route, signaling, a worker.
 */
export class ConsultationService {
  readonly #models: Models;
  readonly #audit: AuditLog;
  readonly #access: AccessPolicy;
  readonly #icd10: Icd10Catalog;
  readonly #connection: Connection;
  readonly #outbox: FhirOutbox | undefined;
  readonly #appendable;

  constructor(deps: {
    models: Models;
    audit: AuditLog;
    access: AccessPolicy;
    icd10: Icd10Catalog;
    connection: Connection;
    /** With a FHIR server to push to: signatures and amendments queue their bundle in the same update. */
    outbox?: FhirOutbox | undefined;
  }) {
    this.#models = deps.models;
    this.#audit = deps.audit;
    this.#access = deps.access;
    this.#icd10 = deps.icd10;
    this.#connection = deps.connection;
    this.#outbox = deps.outbox;
    this.#appendable = deps.models.Consultation.db.collection<ConsultationAppendable>(
      deps.models.Consultation.collection.collectionName,
    );
  }

  /** The appointment's consultation, opened as a draft by the first of its parties to ask. */
  async openForAppointment({ user, actor }: Caller, rawAppointmentId: string): Promise<Consultation> {
    return auditRefusals(
      this.#audit,
      actor,
      { action: 'read', resourceType: 'appointments', resourceId: rawAppointmentId },
      async () => {
        assertRole(user, consultationRoles.open);
        const appointmentId = parseId(rawAppointmentId, 'appointment');
        const appointment = await this.#models.Appointment.findById(appointmentId).lean();
        if (!appointment)
          throw new AppError('NOT_FOUND', { en: 'No such appointment.', ar: 'هذا الموعد غير موجود.' });
        this.#access.assertAppointment(user, appointment);
        const found = await this.#models.Consultation.findOne({ appointmentId }).lean();
        if (found) {
          const grant = await this.#access.readConsultation(user, found);
          await this.#audit.record(actor, consultationReadEntry(found, grant));
          return toApi<Consultation>(found);
        }
        // Seeing an appointment in the queue is not being booked on it: only its parties open the record.
        this.#access.assertAppointmentParty(user, appointment);
        let created = false;
        try {
          // First opened: the consultation record starts as a draft, carrying the appointment's reason.
          await this.#models.Consultation.create({
            appointmentId,
            patientId: appointment.patientId,
            clinicId: appointment.clinicId,
            specialistId: appointment.specialistId ?? undefined,
            content: { reasonForVisit: appointment.reason },
          });
          created = true;
        } catch (error) {
          // The other party opened it at the same moment: theirs stands (unique appointmentId).
          if ((error as { code?: number }).code !== 11000) throw error;
        }
        const doc = await this.#models.Consultation.findOne({ appointmentId }).lean();
        if (!doc) throw new AppError('INTERNAL');
        await this.#audit.record(
          actor,
          created ? consultationEntry(doc, 'create') : consultationReadEntry(doc, 'party'),
        );
        return toApi<Consultation>(doc);
      },
    );
  }

  /** A patient's consultations the caller may see, newest first (at most 200). */
  async listForPatient({ user, actor }: Caller, patient: string): Promise<Consultation[]> {
    return auditRefusals(
      this.#audit,
      actor,
      { action: 'read', resourceType: 'patients', resourceId: patient, patientId: patient },
      async () => {
        const patientId = parseId(patient, 'patient');
        const found = await this.#models.Patient.findById(patientId, { clinicId: 1 }).lean();
        if (!found) throw new AppError('NOT_FOUND', { en: 'No such patient.', ar: 'هذا المريض غير موجود.' });
        const scope = await this.#access.consultationListScope(user, found);
        const docs = await this.#models.Consultation.find(scope.filter)
          .sort({ createdAt: -1 })
          .limit(200)
          .lean();
        const entries = docs.map((doc) => consultationReadEntry(doc, scope.grantOf(doc), 'list'));
        // Even an empty list tells something about the patient: the read is recorded all the same.
        await this.#audit.recordMany(
          actor,
          entries.length > 0
            ? entries
            : [
                {
                  action: 'read',
                  resourceType: 'consultation',
                  patientId,
                  outcome: 'success',
                  reason: 'list: none',
                },
              ],
        );
        return docs.map((doc) => toApi<Consultation>(doc));
      },
    );
  }

  async read({ user, actor }: Caller, id: string): Promise<Consultation> {
    return this.#refusalsAudited(actor, 'read', id, async () => {
      const doc = await this.#find(id);
      const grant = await this.#access.readConsultation(user, doc);
      await this.#audit.record(actor, consultationReadEntry(doc, grant));
      return toApi<Consultation>(doc);
    });
  }

  /** Changes a draft's content, if nobody changed it since `version` and the caller writes those fields. */
  async update(
    { user, actor }: Caller,
    id: string,
    { version, changes }: ConsultationUpdate,
  ): Promise<Consultation> {
    return this.#refusalsAudited(actor, 'update', id, async () => {
      assertRole(user, consultationRoles.write);
      const doc = await this.#findAsParty(user, id);
      assertDraft(doc);
      assertWritable(user, changes);
      assertKnownDiagnoses(this.#icd10, changes);
      const updated = await this.#writeIfCurrent(doc._id, version, {
        $set: contentSet(changes),
        $inc: { version: 1 },
      });
      await this.#audit.record(
        actor,
        consultationEntry(doc, 'update', `changed ${Object.keys(changes).join(', ')}`),
      );
      return toApi<Consultation>(updated);
    });
  }

  /** Signs a draft that has an opinion in it: from then on it changes only by amendment. */
  async sign({ user, actor }: Caller, id: string, version: number): Promise<Consultation> {
    return this.#refusalsAudited(actor, 'create', id, async () => {
      assertRole(user, consultationRoles.sign);
      const doc = await this.#findAsParty(user, id);
      assertDraft(doc);
      assertSignable((doc.content ?? {}) as Partial<ConsultationContent>);
      const signature = {
        status: 'signed' as const,
        signedAt: new Date(),
        signedBy: new Types.ObjectId(user.id),
      };
      const queued = await this.#queuePush({ ...doc, ...signature, version: version + 1 });
      const updated = await this.#writeIfCurrent(
        doc._id,
        version,
        withPush({ $set: signature, $inc: { version: 1 } }, queued),
      );
      await this.#audit.record(actor, consultationEntry(doc, 'sign'));
      return toApi<Consultation>(updated);
    });
  }

  /** Changes a signed consultation, keeping the content it replaces and why. */
  async amend({ user, actor }: Caller, id: string, input: ConsultationAmendment): Promise<Consultation> {
    return this.#refusalsAudited(actor, 'create', id, async () => {
      assertRole(user, consultationRoles.sign);
      const { version, reason, changes } = input;
      const doc = await this.#findAsParty(user, id);
      assertSigned(doc);
      assertWritable(user, changes);
      assertKnownDiagnoses(this.#icd10, changes);
      const amendment = {
        version: doc.version,
        at: new Date(),
        by: new Types.ObjectId(user.id),
        reason,
        previous: doc.content,
      };
      const queued = await this.#queuePush({
        ...doc,
        content: { ...(doc.content ?? {}), ...changes },
        amendments: [...doc.amendments, amendment],
        version: version + 1,
      });
      const updated = await this.#writeIfCurrent(
        doc._id,
        version,
        withPush(
          { $set: contentSet(changes), $push: { amendments: amendment }, $inc: { version: 1 } },
          queued,
        ),
      );
      await this.#audit.record(actor, consultationEntry(doc, 'update', `amendment: ${reason.slice(0, 100)}`));
      return toApi<Consultation>(updated);
    });
  }

  async appendVitalSign({ user, actor }: Caller, id: string, input: VitalSignInput): Promise<VitalSign> {
    return this.#refusalsAudited(actor, 'create', id, async () => {
      assertRole(user, consultationRoles.vitalSigns);
      const doc = await this.#refAsParty(user, id);
      assertDraft(doc);
      const entry = {
        ...input,
        id: randomUUID(),
        recordedBy: user.id,
        recordedAt: new Date().toISOString(),
      };
      // vitalSigns is a Mixed array (validated by the shared schema): nothing for mongoose to cast.
      const updated = await this.#appendable.updateOne(
        { _id: doc._id, status: 'draft', [`vitalSigns.${maxVitalSigns - 1}`]: { $exists: false } },
        {
          $push: { vitalSigns: entry } as Record<string, unknown>,
          $inc: { version: 1 },
          $set: { updatedAt: new Date() },
        },
        appliedNow,
      );
      if (updated.matchedCount === 0) {
        const signed = await this.#models.Consultation.exists({ _id: doc._id, status: 'signed' });
        throw new AppError(
          'UNPROCESSABLE',
          signed
            ? {
                en: 'This consultation was signed meanwhile.',
                ar: 'وُقِّعت هذه الاستشارة في الأثناء؛ أعد تحميلها.',
              }
            : {
                en: `A consultation holds at most ${maxVitalSigns} vital-sign entries.`,
                ar: `تتسع الاستشارة لـ${maxVitalSigns} قراءة للعلامات الحيوية على الأكثر.`,
              },
        );
      }
      await this.#audit.record(actor, consultationEntry(doc, 'update', `vital sign ${input.kind}`));
      return entry as VitalSign;
    });
  }

  async appendChat({ user, actor }: Caller, id: string, text: string): Promise<ChatMessage> {
    return this.#refusalsAudited(actor, 'create', id, async () => {
      assertRole(user, consultationRoles.write);
      // The specialists invited into the call chat too: the one write they may make.
      const doc = await this.#ref(id);
      await this.#access.assertChatParticipant(user, doc);
      const message = { id: randomUUID(), authorId: user.id, authorRole: user.role, text, at: new Date() };
      await this.#models.Consultation.updateOne({ _id: doc._id }, { $push: { chat: message } }, appliedNow);
      await this.#audit.record(actor, consultationEntry(doc, 'update', 'chat message'));
      return toApi<ChatMessage>(message);
    });
  }

  async attach({ user, actor }: Caller, id: string, file: NewAttachment): Promise<Attachment> {
    return this.#refusalsAudited(actor, 'create', id, async () => {
      assertRole(user, consultationRoles.write);
      const { contentType, fileName, body } = file;
      assertAttachment(contentType, body);
      const doc = await this.#refAsParty(user, id);
      const fileId = new ObjectId();
      await new Promise<void>((resolve, reject) => {
        const upload = this.#bucket().openUploadStreamWithId(fileId, fileName, {
          metadata: { consultationId: doc._id, contentType, uploadedBy: user.id },
        });
        upload.once('error', reject).once('finish', () => resolve());
        upload.end(body);
      });
      const attachment = {
        id: fileId.toHexString(),
        fileName,
        contentType,
        size: body.length,
        // Hashed here, where the bytes are in hand: a FHIR export must not read every file back to hash it.
        sha1: createHash('sha1').update(body).digest('base64'),
        uploadedBy: user.id,
        uploadedAt: new Date(),
      };
      await this.#models.Consultation.updateOne({ _id: doc._id }, { $push: { attachments: attachment } });
      await this.#audit.record(actor, consultationEntry(doc, 'update', `attachment ${fileName}`));
      return toApi<Attachment>(attachment);
    });
  }

  /** An attachment's description and its bytes, for a caller who may read the consultation. */
  async readAttachment(
    { user, actor }: Caller,
    id: string,
    attachmentId: string,
  ): Promise<{ attachment: Partial<Attachment>; content: () => Readable }> {
    return this.#refusalsAudited(actor, 'read', id, async () => {
      const doc = await this.#find(id);
      const grant = await this.#access.readConsultation(user, doc);
      parseId(attachmentId, 'attachment');
      const attachment = doc.attachments.find((a) => a.id === attachmentId);
      if (!attachment)
        throw new AppError('NOT_FOUND', { en: 'No such attachment.', ar: 'هذا المرفق غير موجود.' });
      await this.#audit.record(actor, consultationReadEntry(doc, grant, `attachment ${attachment.fileName}`));
      return {
        attachment: toApi<Partial<Attachment>>(attachment),
        content: () => this.#bucket().openDownloadStream(new ObjectId(attachmentId)),
      };
    });
  }

  async #find(id: string) {
    const doc = await this.#models.Consultation.findById(parseId(id, 'consultation')).lean();
    if (!doc)
      throw new AppError('NOT_FOUND', { en: 'No such consultation.', ar: 'هذه الاستشارة غير موجودة.' });
    return doc;
  }

  /** For a change: the record, if the caller is one of its parties. */
  async #findAsParty(user: Caller['user'], id: string) {
    const doc = await this.#find(id);
    await this.#access.assertConsultationParty(user, doc);
    return doc;
  }

  /**
   * Who may touch it, its patient and state, without its content: what the appending writes (vital signs,
   * chat, attachments) need, where reading a whole record that grows with every entry would be waste.
   */
  async #refAsParty(user: Caller['user'], id: string): Promise<ConsultationAccess> {
    const doc = await this.#ref(id);
    await this.#access.assertConsultationParty(user, doc);
    return doc;
  }

  async #ref(id: string): Promise<ConsultationAccess> {
    // Through the driver: these writes come many to a visit, and a projection of ids needs no casting.
    const doc = await this.#models.Consultation.collection.findOne<ConsultationAccess>(
      { _id: new Types.ObjectId(parseId(id, 'consultation')) },
      { projection: { clinicId: 1, specialistId: 1, appointmentId: 1, patientId: 1, status: 1 } },
    );
    if (!doc)
      throw new AppError('NOT_FOUND', { en: 'No such consultation.', ar: 'هذه الاستشارة غير موجودة.' });
    return doc;
  }

  /** Applies an update only if nobody else changed the consultation since `version`. */
  async #writeIfCurrent(id: Types.ObjectId, version: number, update: Record<string, unknown>) {
    const updated = await this.#models.Consultation.findOneAndUpdate({ _id: id, version }, update, {
      returnDocument: 'after',
    }).lean();
    if (!updated) {
      const exists = await this.#models.Consultation.exists({ _id: id });
      if (!exists)
        throw new AppError('NOT_FOUND', { en: 'No such consultation.', ar: 'هذه الاستشارة غير موجودة.' });
      throw new AppError('STALE_WRITE');
    }
    return updated;
  }

  /**
   * The push's outbox item for the consultation as the change will leave it, built BEFORE the change's update
   * so that the update stays one single-document write carrying both (see FhirOutbox).
   */
  async #queuePush(after: ConsultationToPush): Promise<OutboxUpdate | undefined> {
    return this.#outbox?.queue(after);
  }

  #bucket(): GridFSBucket {
    if (!this.#connection.db) throw new AppError('SERVICE_UNAVAILABLE');
    return new GridFSBucket(this.#connection.db as never, { bucketName: 'attachments' });
  }

  /** Runs a call on consultation `id`, auditing its refusal as the API names it (see auditRefusals). */
  #refusalsAudited<T>(actor: AuditActor, action: AuditEntry['action'], id: string, work: () => Promise<T>) {
    return auditRefusals(this.#audit, actor, { action, resourceType: 'consultations', resourceId: id }, work);
  }
}

/** A signature's or amendment's update, with the push's outbox item added to it when there is one. */
function withPush(
  update: { $set: Record<string, unknown>; $push?: Record<string, unknown>; $inc: Record<string, number> },
  queued: OutboxUpdate | undefined,
): Record<string, unknown> {
  if (!queued) return update;
  return {
    ...update,
    $set: { ...update.$set, ...queued.$set },
    $push: { ...update.$push, ...queued.$push },
  };
}
