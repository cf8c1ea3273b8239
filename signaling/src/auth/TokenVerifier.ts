import {
  AppError,
  type AuthenticatedUser,
  accessTokenAudience,
  accessTokenClaimsSchema,
  accessTokenIssuer,
  userFromClaims,
} from '@telemed/shared';
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';

export interface VerifiedToken {
  user: AuthenticatedUser;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Checks access tokens signed by the records service against its published keys (JWKS),
 * so the signaling server holds no signing secret of its own.
 */
export class TokenVerifier {
  readonly #keys: JWTVerifyGetKey;

  constructor(jwksUrl: URL | JWTVerifyGetKey) {
    this.#keys = jwksUrl instanceof URL ? createRemoteJWKSet(jwksUrl, { cooldownDuration: 30_000 }) : jwksUrl;
  }

  /** Resolves with the user, or rejects with an AppError: TOKEN_EXPIRED, UNAUTHENTICATED or SERVICE_UNAVAILABLE. */
  async verify(token: unknown): Promise<VerifiedToken> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new AppError('UNAUTHENTICATED', 'An access token is required in the handshake (auth.token).');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: accessTokenIssuer,
        audience: accessTokenAudience,
        algorithms: ['EdDSA'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED');
      if (error instanceof joseErrors.JWKSTimeout || isFetchFailure(error)) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          'The records service could not be reached to check the token.',
        );
      }
      throw new AppError('UNAUTHENTICATED', 'The access token is not valid.');
    }
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success || typeof payload.exp !== 'number') {
      throw new AppError('UNAUTHENTICATED', 'The access token lacks the expected claims.');
    }
    return { user: userFromClaims(claims.data), expiresAt: payload.exp * 1000 };
  }
}

function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}
