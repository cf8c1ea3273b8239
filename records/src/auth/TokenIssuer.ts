import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VerifiedTokenCache } from '@telemed/service-kit';
import {
  type AccessTokenClaims,
  AppError,
  type AuthenticatedSystemClient,
  type AuthenticatedUser,
  accessTokenAudience,
  accessTokenIssuer,
  type SystemTokenClaims,
  systemTokenAudience,
  systemTokenClaimsSchema,
} from '@telemed/shared';
import { exportJWK, type JWK, errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/** Signs access tokens with an Ed25519 key and publishes the public half as a JWKS for the other services. */
export class TokenIssuer {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #ttlSeconds: number;
  readonly #verified: VerifiedTokenCache;
  readonly keyId: string;

  constructor(privateKey: KeyObject, ttlSeconds: number) {
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error('the token signing key must be an Ed25519 private key');
    }
    this.#privateKey = privateKey;
    this.#publicKey = createPublicKey(privateKey);
    this.#ttlSeconds = ttlSeconds;
    this.#verified = new VerifiedTokenCache(this.#publicKey);
    const raw = this.#publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = raw.subarray(-8).toString('hex');
  }

  /** Loads the PEM at `file`, generating it (mode 600) when `generateIfMissing` and it does not exist. */
  static fromFile(file: string, ttlSeconds: number, generateIfMissing: boolean): TokenIssuer {
    if (!existsSync(file)) {
      if (!generateIfMissing) throw new Error(`the token signing key ${file} does not exist`);
      mkdirSync(dirname(file), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    return new TokenIssuer(createPrivateKey(readFileSync(file)), ttlSeconds);
  }

  async issue(claims: AccessTokenClaims): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.#ttlSeconds * 1000);
    const token = await new SignJWT({ role: claims.role, org: claims.org, name: claims.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keyId, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(accessTokenIssuer)
      .setAudience(accessTokenAudience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#privateKey);
    return { token, expiresAt };
  }

  /** Rejects with TOKEN_EXPIRED or UNAUTHENTICATED. */
  async verify(token: string): Promise<AuthenticatedUser> {
    return (await this.#verified.verify(token)).user;
  }

  /** A system client's access token: same key, its own audience (see `systemTokenAudience`). */
  async issueSystem(claims: SystemTokenClaims): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.#ttlSeconds * 1000);
    const token = await new SignJWT({ scope: claims.scope, name: claims.name })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keyId, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(accessTokenIssuer)
      .setAudience(systemTokenAudience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#privateKey);
    return { token, expiresAt };
  }

  /** Rejects with TOKEN_EXPIRED or UNAUTHENTICATED, as `verify` does. */
  async verifySystem(token: string): Promise<AuthenticatedSystemClient> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#publicKey, {
        issuer: accessTokenIssuer,
        audience: systemTokenAudience,
        algorithms: ['EdDSA'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED');
      throw new AppError('UNAUTHENTICATED', {
        en: 'The access token is not valid.',
        ar: 'رمز الدخول غير صالح؛ اطلب رمزاً جديداً.',
      });
    }
    const claims = systemTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AppError('UNAUTHENTICATED');
    return { id: claims.data.sub, name: claims.data.name, scopes: claims.data.scope.split(' ') };
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.#publicKey);
    return { keys: [{ ...jwk, kid: this.keyId, alg: 'EdDSA', use: 'sig' }] };
  }
}
