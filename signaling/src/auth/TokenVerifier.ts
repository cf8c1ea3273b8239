import { type VerifiedAccessToken, verifyAccessToken } from '@telemed/service-kit';
import { AppError } from '@telemed/shared';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export type VerifiedToken = VerifiedAccessToken;

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
      throw new AppError('UNAUTHENTICATED', {
        en: 'An access token is required in the handshake (auth.token).',
        ar: 'يلزم رمز الدخول عند الاتصال (auth.token)؛ سجّل الدخول ثم أعد الاتصال.',
      });
    }
    return verifyAccessToken(token, this.#keys);
  }
}
