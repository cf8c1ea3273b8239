import { generateKeyPairSync } from 'node:crypto';
import { AppError, accessTokenAudience, accessTokenIssuer } from '@telemed/shared';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyAccessToken } from './verifyAccessToken.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const claims = { role: 'auditor', org: '65a1b2c3d4e5f60718293a4c', name: { ar: 'مراجع', latin: 'Auditor' } };

function token(
  overrides: {
    issuer?: string;
    audience?: string;
    exp?: number;
    body?: object;
    key?: typeof privateKey;
  } = {},
) {
  return new SignJWT({ ...claims, ...overrides.body })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject('65a1b2c3d4e5f60718293a4b')
    .setIssuer(overrides.issuer ?? accessTokenIssuer)
    .setAudience(overrides.audience ?? accessTokenAudience)
    .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 60)
    .sign(overrides.key ?? privateKey);
}

describe('verifyAccessToken', () => {
  it('returns the user and the expiry of a good token', async () => {
    const verified = await verifyAccessToken(await token(), publicKey);
    expect(verified.user).toEqual({
      id: '65a1b2c3d4e5f60718293a4b',
      role: 'auditor',
      organizationId: claims.org,
      name: { ar: 'مراجع', latin: 'Auditor' },
    });
    expect(verified.expiresAt).toBeGreaterThan(Date.now());
  });

  it('reads the one Arabic name of a token signed before names were bilingual as that name in both scripts', async () => {
    const verified = await verifyAccessToken(await token({ body: { name: 'مراجع' } }), publicKey);
    expect(verified.user.name).toEqual({ ar: 'مراجع', latin: 'مراجع' });
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 5 }, 'TOKEN_EXPIRED'],
    ['another issuer', { issuer: 'someone-else' }, 'UNAUTHENTICATED'],
    ['another audience', { audience: 'other-app' }, 'UNAUTHENTICATED'],
    ['an unknown role', { body: { role: 'root' } }, 'UNAUTHENTICATED'],
    ['a name without its Latin letters', { body: { name: { ar: 'مراجع' } } }, 'UNAUTHENTICATED'],
    ['another key', { key: generateKeyPairSync('ed25519').privateKey }, 'UNAUTHENTICATED'],
  ])('refuses a token with %s', async (_, overrides, code) => {
    await expect(verifyAccessToken(await token(overrides), publicKey)).rejects.toMatchObject({ code });
  });

  it('refuses garbage', async () => {
    await expect(verifyAccessToken('not.a.token', publicKey)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('says what to do in Arabic and English', async () => {
    const error: unknown = await verifyAccessToken('not.a.token', publicKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).toBody('ar').error.message).toBe('رمز الدخول غير صالح؛ سجّل الدخول مرة أخرى.');
    expect((error as AppError).toBody('en').error.message).toBe('The access token is not valid.');
  });
});
