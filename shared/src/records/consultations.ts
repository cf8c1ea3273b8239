import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { roleSchema } from '../roles.js';
import { isoDateSchema, isoDateTimeSchema, longTextSchema, shortTextSchema } from './common.js';
import { specialtySchema } from './specialties.js';

const measured = <K extends string, U extends string>(kind: K, unit: U, min: number, max: number) =>
  z.strictObject({
    kind: z.literal(kind),
    value: z
      .number()
      .min(min, { message: `expected at least ${min} ${unit}` })
      .max(max, {
        message: `expected at most ${max} ${unit}`,
      }),
    unit: z.literal(unit),
    takenAt: isoDateTimeSchema,
  });

const bloodPressure = z.strictObject({
  kind: z.literal('blood-pressure'),
  systolic: z.number().int().min(40).max(300),
  diastolic: z.number().int().min(20).max(200),
  unit: z.literal('mmHg'),
  takenAt: isoDateTimeSchema,
});
const heartRate = measured('heart-rate', '/min', 20, 300);
const respiratoryRate = measured('respiratory-rate', '/min', 4, 80);
const temperature = measured('temperature', 'Cel', 30, 45);
const spo2 = measured('spo2', '%', 50, 100);
const bloodGlucose = measured('blood-glucose', 'mg/dL', 20, 1000);
const weight = measured('weight', 'kg', 0.3, 400);
const height = measured('height', 'cm', 20, 250);

/** A vital sign taken at the clinic; ranges reject typing mistakes, not unusual patients. */
export const vitalSignInputSchema = z.discriminatedUnion('kind', [
  bloodPressure,
  heartRate,
  respiratoryRate,
  temperature,
  spo2,
  bloodGlucose,
  weight,
  height,
]);
export type VitalSignInput = z.infer<typeof vitalSignInputSchema>;

/** A vital sign as stored: the input plus who recorded it and when. */
const recorded = { id: z.string(), recordedBy: objectIdSchema, recordedAt: z.string() };
export const vitalSignSchema = z.discriminatedUnion('kind', [
  bloodPressure.extend(recorded),
  heartRate.extend(recorded),
  respiratoryRate.extend(recorded),
  temperature.extend(recorded),
  spo2.extend(recorded),
  bloodGlucose.extend(recorded),
  weight.extend(recorded),
  height.extend(recorded),
]);
export type VitalSign = z.infer<typeof vitalSignSchema>;

export const icd10CodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]\d{2}(\.\d{1,2})?$/, { message: 'expected an ICD-10 code such as E11.9' });

/** One entry of the ICD-10 catalog, with its WHO English title and its Arabic one. */
export const icd10EntrySchema = z.object({ code: z.string(), en: z.string(), ar: z.string() });
export type Icd10Entry = z.infer<typeof icd10EntrySchema>;

export const icd10SearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const diagnosisSchema = z.strictObject({
  code: icd10CodeSchema,
  text: shortTextSchema,
  kind: z.enum(['primary', 'secondary']).default('primary'),
});

export const referralSchema = z.strictObject({
  specialty: specialtySchema.optional(),
  facility: z.string().trim().max(200).optional(),
  reason: z.string().trim().min(1).max(2000),
  urgency: z.enum(['routine', 'urgent', 'emergency']).default('routine'),
});

/** What the clinic doctor and the specialist write; every field optional in an update. */
export const consultationContentSchema = z.strictObject({
  reasonForVisit: longTextSchema,
  history: longTextSchema,
  findings: longTextSchema,
  diagnoses: z.array(diagnosisSchema).max(20),
  plan: longTextSchema,
  recommendations: longTextSchema,
  referral: referralSchema.nullable(),
  followUpDate: isoDateSchema.nullable(),
});
export type ConsultationContent = z.infer<typeof consultationContentSchema>;

/** An edit: the version the editor saw (optimistic concurrency) and the fields changed. */
export const consultationUpdateSchema = z.strictObject({
  version: z.number().int().min(0),
  changes: consultationContentSchema.partial(),
});

/** A change after signing: kept beside the earlier version, with the reason. */
export const consultationAmendmentSchema = z.strictObject({
  version: z.number().int().min(0),
  reason: z.string().trim().min(3).max(1000),
  changes: consultationContentSchema.partial(),
});

export const chatMessageInputSchema = z.strictObject({
  text: z.string().trim().min(1).max(4000),
  clientMessageId: z.string().max(64).optional(),
});

export const allowedAttachmentTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const maxAttachmentBytes = 15 * 1024 * 1024;

export const chatMessageSchema = z.object({
  id: z.string(),
  authorId: objectIdSchema,
  authorRole: roleSchema,
  text: z.string(),
  at: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const attachmentSchema = z.object({
  id: objectIdSchema,
  fileName: z.string(),
  contentType: z.enum(allowedAttachmentTypes),
  size: z.number().int().min(1),
  /** Base64 SHA-1 of the bytes (FHIR Attachment.hash); absent on files uploaded before it was kept. */
  sha1: z.string().optional(),
  uploadedBy: objectIdSchema,
  uploadedAt: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const consultationSchema = z.object({
  id: objectIdSchema,
  appointmentId: objectIdSchema,
  patientId: objectIdSchema,
  clinicId: objectIdSchema,
  specialistId: objectIdSchema.optional(),
  status: z.enum(['draft', 'signed']),
  version: z.number().int(),
  content: consultationContentSchema.partial(),
  vitalSigns: z.array(vitalSignSchema),
  chat: z.array(chatMessageSchema),
  attachments: z.array(attachmentSchema),
  signedAt: z.string().optional(),
  signedBy: objectIdSchema.optional(),
  amendments: z.array(
    z.object({
      version: z.number(),
      at: z.string(),
      by: objectIdSchema,
      reason: z.string(),
      previous: consultationContentSchema.partial(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Consultation = z.infer<typeof consultationSchema>;

/** Which of their notes a specialist lists: drafts, signed ones, or signed ones amended since. */
export const noteListStatusSchema = z.enum(['draft', 'signed', 'amended']);
export type NoteListStatus = z.infer<typeof noteListStatusSchema>;

export const noteListQuerySchema = z.object({ status: noteListStatusSchema.optional() });

/** One line of a specialist's note list: enough to find the note, not its content. */
export const noteSummarySchema = z.object({
  id: objectIdSchema,
  appointmentId: objectIdSchema,
  patientId: objectIdSchema,
  status: z.enum(['draft', 'signed']),
  version: z.number().int(),
  amendmentCount: z.number().int().min(0),
  diagnosisCodes: z.array(z.string()),
  signedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  patient: z.object({ name: z.object({ ar: z.string(), latin: z.string() }), mrn: z.string() }).optional(),
});
export type NoteSummary = z.infer<typeof noteSummarySchema>;
