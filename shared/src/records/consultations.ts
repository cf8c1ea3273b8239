import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
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

/** A vital sign taken at the clinic; ranges reject typing mistakes, not unusual patients. */
export const vitalSignInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('blood-pressure'),
    systolic: z.number().int().min(40).max(300),
    diastolic: z.number().int().min(20).max(200),
    unit: z.literal('mmHg'),
    takenAt: isoDateTimeSchema,
  }),
  measured('heart-rate', '/min', 20, 300),
  measured('respiratory-rate', '/min', 4, 80),
  measured('temperature', 'Cel', 30, 45),
  measured('spo2', '%', 50, 100),
  measured('blood-glucose', 'mg/dL', 20, 1000),
  measured('weight', 'kg', 0.3, 400),
  measured('height', 'cm', 20, 250),
]);
export type VitalSignInput = z.infer<typeof vitalSignInputSchema>;
export type VitalSign = VitalSignInput & { id: string; recordedBy: string; recordedAt: string };

export const icd10CodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]\d{2}(\.\d{1,2})?$/, { message: 'expected an ICD-10 code such as E11.9' });

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

export const consultationSchema = z.object({
  id: objectIdSchema,
  appointmentId: objectIdSchema,
  patientId: objectIdSchema,
  clinicId: objectIdSchema,
  specialistId: objectIdSchema.optional(),
  status: z.enum(['draft', 'signed']),
  version: z.number().int(),
  content: consultationContentSchema.partial(),
  vitalSigns: z.array(z.any()),
  chat: z.array(
    z.object({
      id: z.string(),
      authorId: objectIdSchema,
      authorRole: z.string(),
      text: z.string(),
      at: z.string(),
    }),
  ),
  attachments: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      contentType: z.string(),
      size: z.number(),
      uploadedBy: objectIdSchema,
      uploadedAt: z.string(),
    }),
  ),
  signedAt: z.string().optional(),
  signedBy: objectIdSchema.optional(),
  amendments: z.array(
    z.object({
      version: z.number(),
      at: z.string(),
      by: objectIdSchema,
      reason: z.string(),
      previous: z.any(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Consultation = z.infer<typeof consultationSchema>;
