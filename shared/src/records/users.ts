import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { roleSchema } from '../roles.js';
import { newPasswordSchema, usernameSchema } from './auth.js';
import { bilingualNameSchema, phoneSchema } from './common.js';
import { specialtySchema } from './specialties.js';

const userFields = {
  username: usernameSchema,
  name: bilingualNameSchema,
  role: roleSchema,
  organizationId: objectIdSchema,
  /** Specialists only. */
  specialty: specialtySchema.optional(),
  phone: phoneSchema.optional(),
  email: z.email().max(200).optional(),
  active: z.boolean().default(true),
};

export const userCreateSchema = z
  .strictObject({ ...userFields, password: newPasswordSchema })
  .refine((u) => (u.role === 'specialist') === (u.specialty !== undefined), {
    message: 'a specialist needs a specialty, and only specialists have one',
    path: ['specialty'],
  });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .strictObject({
    name: bilingualNameSchema,
    specialty: specialtySchema,
    phone: phoneSchema,
    email: z.email().max(200),
    active: z.boolean(),
    /** An administrator resets a forgotten password; the user must change it at next sign-in. */
    password: newPasswordSchema,
  })
  .partial();
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const userSchema = z.object({
  id: objectIdSchema,
  username: z.string(),
  name: bilingualNameSchema,
  role: roleSchema,
  organizationId: objectIdSchema,
  specialty: specialtySchema.optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  active: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

export const userListQuerySchema = z.object({
  role: roleSchema.optional(),
  organizationId: objectIdSchema.optional(),
  specialty: specialtySchema.optional(),
});

/** A row of the specialist directory: who they are, their specialty and hospital. */
export const specialistListingSchema = z.object({
  id: objectIdSchema,
  name: bilingualNameSchema,
  specialty: specialtySchema,
  organizationId: objectIdSchema,
});
export type SpecialistListing = z.infer<typeof specialistListingSchema>;
