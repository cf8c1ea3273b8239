import { z } from 'zod';
import { roleSchema } from '../roles.js';
import { bilingualNameSchema } from './common.js';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,64}$/, { message: 'expected 3 to 64 letters, digits, ".", "_" or "-"' });

/** A new password: long enough to resist guessing, bounded so hashing cannot be abused. */
export const newPasswordSchema = z
  .string()
  .min(10, { message: 'expected at least 10 characters' })
  .max(256, { message: 'expected at most 256 characters' });

export const loginRequestSchema = z.strictObject({
  username: usernameSchema,
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  name: bilingualNameSchema,
  organizationId: z.string(),
  specialty: z.string().optional(),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** Answer to login and refresh: the access token (Bearer), when it expires, and who is signed in. */
export const sessionResponseSchema = z.object({
  accessToken: z.string(),
  expiresAt: z.string(),
  user: sessionUserSchema,
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const changePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: newPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** Name of the httpOnly cookie that carries the refresh token, scoped to the auth routes. */
export const refreshCookieName = 'telemed_refresh';
