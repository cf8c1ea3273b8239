import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { bilingualNameSchema, isoDateSchema, phoneSchema, shortTextSchema } from './common.js';

/** Egyptian governorate codes as they appear in digits 8–9 of the national ID (88: born abroad). */
const governorateCodes = new Set([
  '01',
  '02',
  '03',
  '04',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '21',
  '22',
  '23',
  '24',
  '25',
  '26',
  '27',
  '28',
  '29',
  '31',
  '32',
  '33',
  '34',
  '35',
  '88',
]);

/**
 * The 14-digit Egyptian national ID: century digit (2: 1900s, 3: 2000s), birth date YYMMDD,
 * governorate, sequence (odd: male, even: female), check digit.
 */
export const nationalIdSchema = z
  .string()
  .trim()
  .regex(/^[23]\d{13}$/, { message: 'expected 14 digits starting with 2 or 3' })
  .refine(
    (id) => {
      const year = (id[0] === '2' ? 1900 : 2000) + Number(id.slice(1, 3));
      const month = Number(id.slice(3, 5));
      const day = Number(id.slice(5, 7));
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getTime() <= Date.now();
    },
    { message: 'digits 2 to 7 must be a real birth date (YYMMDD)' },
  )
  .refine((id) => governorateCodes.has(id.slice(7, 9)), {
    message: 'digits 8 and 9 must be a governorate code',
  });

export const sexSchema = z.enum(['female', 'male']);

export const medicationSchema = z.strictObject({
  name: shortTextSchema,
  dose: z.string().trim().max(200).optional(),
});

export const patientInputSchema = z.strictObject({
  /** Medical record number, unique within the clinic. */
  mrn: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,32}$/, { message: 'expected 1 to 32 letters, digits or "-"' }),
  nationalId: nationalIdSchema.optional(),
  name: bilingualNameSchema,
  sex: sexSchema,
  birthDate: isoDateSchema.refine((d) => d <= new Date().toISOString().slice(0, 10), {
    message: 'the birth date cannot be in the future',
  }),
  phone: phoneSchema.optional(),
  allergies: z.array(shortTextSchema).max(50).default([]),
  chronicConditions: z.array(shortTextSchema).max(50).default([]),
  currentMedications: z.array(medicationSchema).max(50).default([]),
});
export type PatientInput = z.infer<typeof patientInputSchema>;
export const patientUpdateSchema = patientInputSchema.partial().strict();

/** A patient as records answers it (a plain object: a field added later does not break an older client). */
export const patientSchema = z.object({
  ...patientInputSchema.shape,
  id: objectIdSchema,
  clinicId: objectIdSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Patient = z.infer<typeof patientSchema>;

/** `?q=` matches the start of the MRN, the national ID, or any word of the Arabic or Latin name. */
export const patientSearchQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  clinicId: objectIdSchema.optional(),
});

/** A row of a patient search: who the patient is, without the clinical fields (open the record for those). */
export const patientSummarySchema = patientSchema.pick({
  id: true,
  clinicId: true,
  mrn: true,
  nationalId: true,
  name: true,
  sex: true,
  birthDate: true,
  phone: true,
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

/**
 * A patient's record as read: an administrator sees the demographics only, so the clinical fields may be
 * absent (no default fills them in: an absent list is not an empty one).
 */
export const patientRecordSchema = patientSchema.extend({
  allergies: z.array(shortTextSchema).optional(),
  chronicConditions: z.array(shortTextSchema).optional(),
  currentMedications: z.array(medicationSchema).optional(),
});
export type PatientRecord = z.infer<typeof patientRecordSchema>;
