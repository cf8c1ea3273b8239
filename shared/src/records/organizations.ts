import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { pageQuerySchema, phoneSchema, shortTextSchema, timeZoneSchema } from './common.js';
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

/** `true`/`false` as a query string carries it (the typed client sends the boolean, the URL its text). */
const queryBooleanSchema = z
  .union([z.boolean(), z.enum(['true', 'false'])], { message: 'expected true or false' })
  .transform((value) => value === true || value === 'true');

/**
 * The organizations list's filters and page: a ministry has thousands of rural clinics, so the list pages, and
 * a picker searches by name (`q`: words that start words of the Arabic or English name) rather than loading all.
 */
export const organizationListQuerySchema = z
  .object({
    kind: organizationKindSchema.optional(),
    governorate: shortTextSchema.optional(),
    active: queryBooleanSchema.optional(),
    q: z.string().trim().max(100).optional(),
  })
  .extend(pageQuerySchema.shape);
export type OrganizationListQuery = z.infer<typeof organizationListQuerySchema>;
