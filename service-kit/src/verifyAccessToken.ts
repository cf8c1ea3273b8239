import type { KeyObject } from 'node:crypto';
import {
  AppError,
  type AuthenticatedUser,
  accessTokenAudience,
  accessTokenClaimsSchema,
  accessTokenIssuer,
  userFromClaims,
} from '@telemed/shared';
import { type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';

export interface VerifiedAccessToken {
  user: AuthenticatedUser;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Checks an access token the records service signed: EdDSA, our issuer and audience, unexpired, with the
 * platform's claims. Rejects with TOKEN_EXPIRED or UNAUTHENTICATED; a key set that cannot be fetched
 * rejects with SERVICE_UNAVAILABLE.
 */
export async function verifyAccessToken(
  token: string,
  key: KeyObject | JWTVerifyGetKey,
): Promise<VerifiedAccessToken> {
  let payload: Record<string, unknown>;
  try {
    const options = { issuer: accessTokenIssuer, audience: accessTokenAudience, algorithms: ['EdDSA'] };
    ({ payload } =
      typeof key === 'function'
        ? await jwtVerify(token, key, options)
        : await jwtVerify(token, key, options));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED');
    if (
      error instanceof joseErrors.JWKSTimeout ||
      (error instanceof TypeError && /fetch failed/i.test(error.message))
    ) {
      throw new AppError('SERVICE_UNAVAILABLE', {
        en: 'The records service could not be reached to check the token.',
        ar: 'تعذّر الوصول إلى خدمة السجلات للتحقق من رمز الدخول؛ حاول مرة أخرى بعد قليل.',
      });
    }
    throw new AppError('UNAUTHENTICATED', {
      en: 'The access token is not valid.',
      ar: 'رمز الدخول غير صالح؛ سجّل الدخول مرة أخرى.',
    });
  }
  const claims = accessTokenClaimsSchema.safeParse(payload);
  if (!claims.success || typeof payload.exp !== 'number') {
    throw new AppError('UNAUTHENTICATED', {
      en: 'The access token lacks the expected claims.',
      ar: 'رمز الدخول ناقص البيانات؛ سجّل الدخول مرة أخرى.',
    });
  }
  return { user: userFromClaims(claims.data), expiresAt: payload.exp * 1000 };
}
