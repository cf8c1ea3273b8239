import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { phoneSchema, shortTextSchema, timeZoneSchema } from './common.js';
import { specialtySchema } from './specialties.js';

export const organizationKindSchema = z.enum(['clinic', 'hospital']);
export type OrganizationKind = z.infer<typeof organizationKindSchema>;

export const organizationInputSchema = z.strictObject({
  kind: organizationKindSchema,
  name: z.strictObject({ ar: shortTextSchema, en: shortTextSchema }),
  governorate: shortTextSchema,
  district: shortTextSchema,
  address: z.string().trim().max(500).default(''),
  phone: phoneSchema.optional(),
  /** Hospitals only: the specialties their specialists cover. */
  specialties: z.array(specialtySchema).max(50).default([]),
  timeZone: timeZoneSchema.default('Africa/Cairo'),
  active: z.boolean().default(true),
});
export type OrganizationInput = z.infer<typeof organizationInputSchema>;
export const organizationUpdateSchema = organizationInputSchema.partial().strict();

/** An organization as records answers it (a plain object: a field added later does not break an older client). */
export const organizationSchema = z.object({
  ...organizationInputSchema.shape,
  id: objectIdSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof organizationSchema>;
