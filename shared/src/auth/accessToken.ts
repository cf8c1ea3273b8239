import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { type BilingualName, bilingualNameSchema } from '../records/common.js';
import { roleSchema } from '../roles.js';

/** Issuer and audience of the access tokens the records service signs and every service verifies. */
export const accessTokenIssuer = 'telemed-records';
export const accessTokenAudience = 'telemed';

/**
 * The name claim: the person's name in Arabic and in Latin letters, so that every service can show it in the
 * screen's language. Tokens signed before the claim carried both held the Arabic name alone; one such token may
 * still be in flight for its short lifetime after an upgrade, so a string is read as that name in both scripts.
 * (Drop the string form in the release after the one that introduced the object.)
 */
const nameClaimSchema = z.union([
  bilingualNameSchema,
  z
    .string()
    .min(1)
    .transform((ar): BilingualName => ({ ar, latin: ar })),
]);

/** Claims of an access token (a short-lived JWT, EdDSA, keys published at `/.well-known/jwks.json`). */
export const accessTokenClaimsSchema = z.object({
  sub: objectIdSchema,
  role: roleSchema,
  org: objectIdSchema,
  name: nameClaimSchema,
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

/** The authenticated person behind a request or a socket. */
export interface AuthenticatedUser {
  id: string;
  role: AccessTokenClaims['role'];
  organizationId: string;
  /** In Arabic and in Latin letters: a screen shows the one of its language. */
  name: BilingualName;
}

export function userFromClaims(claims: AccessTokenClaims): AuthenticatedUser {
  return { id: claims.sub, role: claims.role, organizationId: claims.org, name: claims.name };
}

/**
 * Audience of a system client's access token (SMART Backend Services). It differs from `accessTokenAudience`
 * on purpose: every check of a user's token (records' `/api`, signaling, the SFU) refuses a system token, so a
 * client granted `system/*.read` for Bulk Data export can never act as a person anywhere else.
 */
export const systemTokenAudience = 'telemed-fhir-system';

export const systemTokenClaimsSchema = z.object({
  sub: objectIdSchema,
  /** Space-separated granted scopes, as OAuth writes them. */
  scope: z.string().min(1),
  name: z.string().min(1),
});
export type SystemTokenClaims = z.infer<typeof systemTokenClaimsSchema>;

/** The registered system client behind a request, with the scopes its token was granted. */
export interface AuthenticatedSystemClient {
  id: string;
  name: string;
  scopes: string[];
}
