import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';

/**
 * A SMART Backend Services scope a system client may hold: `system/<Type or *>.<read or rs>`
 * (SMART v1 `read` and v2 `rs` both mean "read and search").
 */
export const systemScopeSchema = z
  .string()
  .regex(
    /^system\/(\*|[A-Z][A-Za-z]{1,63})\.(read|rs)$/,
    'a scope such as system/*.read or system/Patient.read',
  );
export type SystemScope = z.infer<typeof systemScopeSchema>;

/** A public JSON Web Key for RS384 or ES384 (the algorithms SMART Backend Services names); never a private one. */
export const publicJwkSchema = z
  .object({
    kty: z.enum(['RSA', 'EC']),
    kid: z.string().min(1).max(200).optional(),
    alg: z.enum(['RS384', 'ES384']).optional(),
    use: z.literal('sig').optional(),
    n: z.string().optional(),
    e: z.string().optional(),
    crv: z.literal('P-384').optional(),
    x: z.string().optional(),
    y: z.string().optional(),
  })
  .strict()
  .refine((k) => (k.kty === 'RSA' ? Boolean(k.n && k.e) : Boolean(k.crv && k.x && k.y)), {
    message: 'an RSA key needs n and e; an EC key needs crv P-384, x and y (and no private part)',
  });

export const systemClientInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** One public key, or a key set (a client rotating its key registers both). */
  publicKey: z.union([publicJwkSchema, z.object({ keys: z.array(publicJwkSchema).min(1).max(10) }).strict()]),
  scopes: z.array(systemScopeSchema).min(1).max(50),
});
export type SystemClientInput = z.infer<typeof systemClientInputSchema>;

export const systemClientSchema = z.object({
  /** The client id: `iss` and `sub` of its assertions. */
  id: objectIdSchema,
  name: z.string(),
  scopes: z.array(systemScopeSchema),
  keyIds: z.array(z.string()),
  active: z.boolean(),
  createdBy: objectIdSchema,
  createdAt: z.string(),
});
export type SystemClient = z.infer<typeof systemClientSchema>;
