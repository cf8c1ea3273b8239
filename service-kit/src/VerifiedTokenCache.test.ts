import { generateKeyPairSync } from 'node:crypto';
import { accessTokenAudience, accessTokenIssuer } from '@telemed/shared';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedTokenCache } from './VerifiedTokenCache.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

function token(expiresInSeconds: number) {
  return new SignJWT({ role: 'clinic_doctor', org: '65a1b2c3d4e5f60718293a4c', name: 'طبيب' })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject('65a1b2c3d4e5f60718293a4b')
    .setIssuer(accessTokenIssuer)
    .setAudience(accessTokenAudience)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(privateKey);
}

describe('VerifiedTokenCache', () => {
  afterEach(() => vi.useRealTimers());

  it('answers a token it verified before with the same user', async () => {
    const cache = new VerifiedTokenCache(publicKey);
    const good = await token(60);
    const first = await cache.verify(good);
    expect(await cache.verify(good)).toBe(first);
    expect(first.user.role).toBe('clinic_doctor');
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cache = new VerifiedTokenCache(publicKey);
    const good = await token(60);
    await cache.verify(good);
    vi.setSystemTime(Date.now() + 61_000);
    await expect(cache.verify(good)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('never remembers a bad token', async () => {
    const cache = new VerifiedTokenCache(publicKey);
    const good = await token(60);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    await expect(cache.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(cache.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await cache.verify(good)).user.id).toBe('65a1b2c3d4e5f60718293a4b');
  });

  it('keeps at most its maximum number of tokens', async () => {
    const cache = new VerifiedTokenCache(publicKey, 2);
    const tokens = [await token(60), await token(61), await token(62)];
    const verified = [];
    for (const t of tokens) verified.push(await cache.verify(t));
    // The oldest was evicted: verified again, so a new (equal but not identical) result.
    const again = await cache.verify(tokens[0]!);
    expect(again).not.toBe(verified[0]);
    expect(again).toEqual(verified[0]);
  });
});
