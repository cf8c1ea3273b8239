import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import {
  AppError,
  type AuthenticatedUser,
  allowedAttachmentTypes,
  type Consultation,
  type ConsultationContent,
  chatMessageInputSchema,
  consultationAmendmentSchema,
  consultationUpdateSchema,
  maxAttachmentBytes,
  vitalSignInputSchema,
} from '@telemed/shared';
import express, { type Request, Router } from 'express';
import { GridFSBucket, ObjectId } from 'mongodb';
import { type Connection, Types } from 'mongoose';
import {
  type AccessPolicy,
  type ConsultationReadGrant,
  consultationHistoryAudit,
} from '../../access/AccessPolicy.js';
import type { Icd10Catalog } from '../../icd10/Icd10Catalog.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { actorOf, currentUser, requireRole } from '../requestContext.js';
import { toApi } from '../serialize.js';
import { parseId, parseInput } from '../validate.js';

/** Fields each role writes: the clinic the history, the specialist the opinion. */
const writableBy: Record<'clinic_doctor' | 'specialist', readonly (keyof ConsultationContent)[]> = {
  clinic_doctor: ['reasonForVisit', 'history'],
  specialist: [
    'reasonForVisit',
    'history',
    'findings',
    'diagnoses',
    'plan',
    'recommendations',
    'referral',
    'followUpDate',
  ],
};

const maxVitalSigns = 500;

const magicNumbers: Record<(typeof allowedAttachmentTypes)[number], (bytes: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** The fields the appending writes touch, for typed updates straight through the driver. */
interface ConsultationAppendable {
  _id: Types.ObjectId;
  status: string;
  version: number;
  updatedAt: Date;
  vitalSigns: object[];
}

interface ConsultationAccess {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  specialistId?: Types.ObjectId;
  appointmentId: Types.ObjectId;
  patientId: Types.ObjectId;
  status: string;
}

interface ConsultationRef {
  _id: Types.ObjectId;
  patientId: Types.ObjectId;
  status: string;
}

/**
 * The clinical encounter of an appointment. Edits name the version they saw (a stale one gets 409);
 * once signed, a consultation changes only by amendment, which keeps the earlier content.
 */
/**
 * For an append whose audit event follows at once: acknowledged once applied, not once journaled. The audit
 * event's insert waits for the journal, which is written in order, so the answer still waits until both are
 * on disk (MongoDB's journal and the embedded store's alike), for one disk flush instead of two; a crash
 * before it loses both, and the client was never told of success.
 */
const appliedNow = { writeConcern: { w: 1 } } as const;

export function consultationRoutes(
  ctx: RecordsContext,
  access: AccessPolicy,
  icd10: Icd10Catalog,
  connection: Connection,
): Router {
  const { models, audit } = ctx;
  const router = Router();
  const bucket = () => {
    if (!connection.db) throw new AppError('SERVICE_UNAVAILABLE');
    return new GridFSBucket(connection.db as never, { bucketName: 'attachments' });
  };

  async function find(req: Request) {
    const doc = await models.Consultation.findById(parseId(req.params.id, 'consultation')).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such consultation.');
    return doc;
  }

  /** For a read: the record and why the caller may read it (a party, or the patient's signed history). */
  async function loadForReading(req: Request) {
    const doc = await find(req);
    const grant = await access.readConsultation(currentUser(req), doc);
    return { doc, grant };
  }

  /** For a change: the record, if the caller is one of its parties. */
  async function load(req: Request) {
    const doc = await find(req);
    await access.assertConsultationParty(currentUser(req), doc);
    return doc;
  }

  const appendable = models.Consultation.db.collection<ConsultationAppendable>(
    models.Consultation.collection.collectionName,
  );

  /**
   * Who may touch it, its patient and state, without its content: what the appending writes (vital signs,
   * chat, attachments) need, where reading a whole record that grows with every entry would be waste.
   */
  async function loadRef(req: Request) {
    // Through the driver: these writes come many to a visit, and a projection of ids needs no casting.
    const doc = await models.Consultation.collection.findOne<ConsultationAccess>(
      { _id: new Types.ObjectId(parseId(req.params.id, 'consultation')) },
      { projection: { clinicId: 1, specialistId: 1, appointmentId: 1, patientId: 1, status: 1 } },
    );
    if (!doc) throw new AppError('NOT_FOUND', 'No such consultation.');
    await access.assertConsultationParty(currentUser(req), doc);
    return doc;
  }

  function assertDraft(doc: ConsultationRef): void {
    if (doc.status === 'signed') {
      throw new AppError('UNPROCESSABLE', 'This consultation is signed: change it with an amendment.');
    }
  }

  function assertKnownDiagnoses(changes: Partial<ConsultationContent>): void {
    for (const [index, diagnosis] of (changes.diagnoses ?? []).entries()) {
      if (!icd10.has(diagnosis.code)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `changes.diagnoses.${index}.code: ${diagnosis.code} is not in the ICD-10 list.`,
          [{ path: `changes.diagnoses.${index}.code`, message: 'unknown ICD-10 code' }],
        );
      }
    }
  }

  function assertWritable(user: AuthenticatedUser, changes: Partial<ConsultationContent>): void {
    const allowed = writableBy[user.role as 'clinic_doctor' | 'specialist'] ?? [];
    const refused = Object.keys(changes).filter(
      (field) => !allowed.includes(field as keyof ConsultationContent),
    );
    if (refused.length > 0)
      throw new AppError('FORBIDDEN', `A ${user.role} cannot write: ${refused.join(', ')}.`);
  }

  /** Applies an update only if nobody else changed the consultation since `version`. */
  async function writeIfCurrent(id: string, version: number, update: Record<string, unknown>) {
    const updated = await models.Consultation.findOneAndUpdate({ _id: id, version }, update, {
      returnDocument: 'after',
    }).lean();
    if (!updated) {
      const exists = await models.Consultation.exists({ _id: id });
      if (!exists) throw new AppError('NOT_FOUND', 'No such consultation.');
      throw new AppError('STALE_WRITE');
    }
    return updated;
  }

  const auditEntry = (
    doc: ConsultationRef,
    action: 'read' | 'create' | 'update' | 'sign',
    reason?: string,
  ) => ({
    action,
    resourceType: 'consultation',
    resourceId: doc._id.toHexString(),
    patientId: doc.patientId.toHexString(),
    outcome: 'success' as const,
    reason,
  });

  /** A read as a party is a consultation read; a read of the patient's signed history says so. */
  const readEntry = (doc: ConsultationRef, grant: ConsultationReadGrant, what?: string) =>
    grant === 'party'
      ? auditEntry(doc, 'read', what)
      : {
          ...auditEntry(doc, 'read'),
          resourceType: consultationHistoryAudit.resourceType,
          reason: what ? `${consultationHistoryAudit.reason}; ${what}` : consultationHistoryAudit.reason,
        };

  router.get('/appointments/:appointmentId/consultation', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor', 'specialist');
    const appointmentId = parseId(req.params.appointmentId, 'appointment');
    const appointment = await models.Appointment.findById(appointmentId).lean();
    if (!appointment) throw new AppError('NOT_FOUND', 'No such appointment.');
    access.assertAppointment(user, appointment);
    let doc = await models.Consultation.findOne({ appointmentId }).lean();
    let created = false;
    let grant: ConsultationReadGrant = 'party';
    if (doc) grant = await access.readConsultation(user, doc);
    else {
      // Seeing an appointment in the queue is not being booked on it: only its parties open the record.
      access.assertAppointmentParty(user, appointment);
      // First opened: the consultation record starts as a draft, carrying the appointment's reason.
      try {
        await models.Consultation.create({
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
      doc = await models.Consultation.findOne({ appointmentId }).lean();
      if (!doc) throw new AppError('INTERNAL');
    }
    await audit.record(actorOf(req), created ? auditEntry(doc, 'create') : readEntry(doc, grant));
    res.json(toApi<Consultation>(doc));
  });

  router.get('/patients/:patientId/consultations', async (req, res) => {
    const user = currentUser(req);
    const patientId = parseId(req.params.patientId, 'patient');
    const patient = await models.Patient.findById(patientId, { clinicId: 1 }).lean();
    if (!patient) throw new AppError('NOT_FOUND', 'No such patient.');
    const scope = await access.consultationListScope(user, patient);
    const docs = await models.Consultation.find(scope.filter).sort({ createdAt: -1 }).limit(200).lean();
    const entries = docs.map((doc) => readEntry(doc, scope.grantOf(doc), 'list'));
    // Even an empty list tells something about the patient: the read is recorded all the same.
    await audit.recordMany(
      actorOf(req),
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
    res.json({ items: docs.map((d) => toApi<Consultation>(d)) });
  });

  router.get('/consultations/:id', async (req, res) => {
    const { doc, grant } = await loadForReading(req);
    await audit.record(actorOf(req), readEntry(doc, grant));
    res.json(toApi<Consultation>(doc));
  });

  router.patch('/consultations/:id', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor', 'specialist');
    const { version, changes } = parseInput(consultationUpdateSchema, req.body, 'consultation changes');
    const doc = await load(req);
    assertDraft(doc);
    assertWritable(user, changes);
    assertKnownDiagnoses(changes);
    const set: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(changes)) set[`content.${field}`] = value;
    const updated = await writeIfCurrent(doc._id.toHexString(), version, { $set: set, $inc: { version: 1 } });
    await audit.record(actorOf(req), auditEntry(doc, 'update', `changed ${Object.keys(changes).join(', ')}`));
    res.json(toApi<Consultation>(updated));
  });

  router.post('/consultations/:id/vital-signs', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor');
    const input = parseInput(vitalSignInputSchema, req.body, 'vital sign');
    const doc = await loadRef(req);
    assertDraft(doc);
    const entry = { ...input, id: randomUUID(), recordedBy: user.id, recordedAt: new Date().toISOString() };
    // Bounded, so a runaway client cannot grow one record towards the 16 MiB document limit.
    // vitalSigns is a Mixed array (validated by the shared schema above): nothing for mongoose to cast.
    const updated = await appendable.updateOne(
      { _id: doc._id, status: 'draft', [`vitalSigns.${maxVitalSigns - 1}`]: { $exists: false } },
      {
        $push: { vitalSigns: entry } as Record<string, unknown>,
        $inc: { version: 1 },
        $set: { updatedAt: new Date() },
      },
      appliedNow,
    );
    if (updated.matchedCount === 0) {
      const signed = await models.Consultation.exists({ _id: doc._id, status: 'signed' });
      throw new AppError(
        'UNPROCESSABLE',
        signed
          ? 'This consultation was signed meanwhile.'
          : `A consultation holds at most ${maxVitalSigns} vital-sign entries.`,
      );
    }
    await audit.record(actorOf(req), auditEntry(doc, 'update', `vital sign ${input.kind}`));
    res.status(201).json(entry);
  });

  router.post('/consultations/:id/chat', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor', 'specialist');
    const { text } = parseInput(chatMessageInputSchema, req.body, 'chat message');
    const doc = await loadRef(req);
    const message = { id: randomUUID(), authorId: user.id, authorRole: user.role, text, at: new Date() };
    await models.Consultation.updateOne({ _id: doc._id }, { $push: { chat: message } }, appliedNow);
    await audit.record(actorOf(req), auditEntry(doc, 'update', 'chat message'));
    res.status(201).json(toApi(message));
  });

  router.post(
    '/consultations/:id/attachments',
    express.raw({ type: () => true, limit: maxAttachmentBytes }),
    async (req, res) => {
      const user = requireRole(req, 'clinic_doctor', 'specialist');
      const contentType = (req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() as (typeof allowedAttachmentTypes)[number];
      if (!allowedAttachmentTypes.includes(contentType)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Attachments may be ${allowedAttachmentTypes.join(', ')}; got "${contentType}".`,
        );
      }
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new AppError('VALIDATION_FAILED', 'The file is empty.');
      if (!magicNumbers[contentType](body)) {
        throw new AppError('VALIDATION_FAILED', `The file's content is not ${contentType}.`);
      }
      const fileName = decodeFileName(req.headers['x-file-name']);
      const doc = await loadRef(req);
      const fileId = new ObjectId();
      await new Promise<void>((resolve, reject) => {
        const upload = bucket().openUploadStreamWithId(fileId, fileName, {
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
        uploadedBy: user.id,
        uploadedAt: new Date(),
      };
      await models.Consultation.updateOne({ _id: doc._id }, { $push: { attachments: attachment } });
      await audit.record(actorOf(req), auditEntry(doc, 'update', `attachment ${fileName}`));
      res.status(201).json(toApi(attachment));
    },
  );

  router.get('/consultations/:id/attachments/:attachmentId', async (req, res) => {
    const { doc, grant } = await loadForReading(req);
    const attachmentId = parseId(req.params.attachmentId, 'attachment');
    const attachment = doc.attachments.find((a) => a.id === attachmentId);
    if (!attachment) throw new AppError('NOT_FOUND', 'No such attachment.');
    await audit.record(actorOf(req), readEntry(doc, grant, `attachment ${attachment.fileName}`));
    res.setHeader('content-type', attachment.contentType ?? 'application/octet-stream');
    res.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName ?? 'file')}`,
    );
    res.setHeader('x-content-type-options', 'nosniff');
    if (attachment.size) res.setHeader('content-length', String(attachment.size));
    await pipeline(bucket().openDownloadStream(new ObjectId(attachmentId)), res);
  });

  router.post('/consultations/:id/sign', async (req, res) => {
    const user = requireRole(req, 'specialist');
    const { version } = parseInput(consultationUpdateSchema.pick({ version: true }), req.body, 'signature');
    const doc = await load(req);
    assertDraft(doc);
    const content = (doc.content ?? {}) as Partial<ConsultationContent>;
    if (!content.findings && !content.diagnoses?.length) {
      throw new AppError('UNPROCESSABLE', 'Write the findings or at least one diagnosis before signing.');
    }
    const updated = await writeIfCurrent(doc._id.toHexString(), version, {
      $set: { status: 'signed', signedAt: new Date(), signedBy: user.id },
      $inc: { version: 1 },
    });
    await audit.record(actorOf(req), auditEntry(doc, 'sign'));
    res.json(toApi<Consultation>(updated));
  });

  router.post('/consultations/:id/amendments', async (req, res) => {
    const user = requireRole(req, 'specialist');
    const { version, reason, changes } = parseInput(consultationAmendmentSchema, req.body, 'amendment');
    const doc = await load(req);
    if (doc.status !== 'signed')
      throw new AppError('UNPROCESSABLE', 'Only a signed consultation is amended; edit the draft.');
    assertWritable(user, changes);
    assertKnownDiagnoses(changes);
    const set: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(changes)) set[`content.${field}`] = value;
    const updated = await writeIfCurrent(doc._id.toHexString(), version, {
      $set: set,
      $push: {
        amendments: { version: doc.version, at: new Date(), by: user.id, reason, previous: doc.content },
      },
      $inc: { version: 1 },
    });
    await audit.record(actorOf(req), auditEntry(doc, 'update', `amendment: ${reason.slice(0, 100)}`));
    res.json(toApi<Consultation>(updated));
  });

  return router;
}

function decodeFileName(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header[0] : header;
  let name = 'attachment';
  if (raw) {
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'x-file-name must be URI-encoded.');
    }
  }
  // Only the last path segment, no control characters: the name is shown and used in downloads.
  name =
    name
      .split(/[\\/]/)
      .pop()
      ?.replace(/\p{Cc}/gu, '')
      .trim() || 'attachment';
  return name.slice(0, 200);
}
