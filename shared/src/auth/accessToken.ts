import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { roleSchema } from '../roles.js';

/** Issuer and audience of the access tokens the records service signs and every service verifies. */
export const accessTokenIssuer = 'telemed-records';
export const accessTokenAudience = 'telemed';

/** Claims of an access token (a short-lived JWT, EdDSA, keys published at `/.well-known/jwks.json`). */
export const accessTokenClaimsSchema = z.object({
  sub: objectIdSchema,
  role: roleSchema,
  org: objectIdSchema,
  name: z.string().min(1),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

/** The authenticated person behind a request or a socket. */
export interface AuthenticatedUser {
  id: string;
  role: AccessTokenClaims['role'];
  organizationId: string;
  name: string;
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
