import { createPrivateKey, type KeyObject, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type JWK, SignJWT } from 'jose';
import { ExportCliError } from './ExportCliError.js';

const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** A token is fetched again this long before it expires: a status poll or a download never carries a stale one. */
const refreshMarginMs = 30_000;

interface SigningKey {
  key: KeyObject;
  alg: 'ES384' | 'RS384';
  kid: string | undefined;
}

/**
 * A system client's access token from SMART Backend Services: a client assertion signed with the client's
 * private key is exchanged at `/auth/token` for a short-lived token, fetched again before it expires.
 */
export class SmartBackendToken {
  readonly #tokenUrl: string;
  readonly #clientId: string;
  readonly #scope: string;
  readonly #signingKey: SigningKey;
  #current: { token: string; expiresAt: number } | undefined;

  private constructor(tokenUrl: string, clientId: string, scope: string, signingKey: SigningKey) {
    this.#tokenUrl = tokenUrl;
    this.#clientId = clientId;
    this.#scope = scope;
    this.#signingKey = signingKey;
  }

  static async load(tokenUrl: string, clientId: string, scope: string, keyFile: string) {
    return new SmartBackendToken(tokenUrl, clientId, scope, await readSigningKey(keyFile));
  }

  /** A token valid for at least a little while; `renew` forces a new one (the server said it expired). */
  async get(renew = false): Promise<string> {
    if (!renew && this.#current && this.#current.expiresAt - refreshMarginMs > Date.now()) {
      return this.#current.token;
    }
    const { key, alg, kid } = this.#signingKey;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
      .setIssuer(this.#clientId)
      .setSubject(this.#clientId)
      .setAudience(this.#tokenUrl)
      .setExpirationTime('4m')
      .setJti(randomUUID())
      .sign(key);
    const res = await fetch(this.#tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: assertion,
        scope: this.#scope,
      }).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof body.access_token !== 'string') {
      const reason = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
      const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
      throw new ExportCliError(`The token endpoint refused (${reason})${description}`);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 300;
    this.#current = { token: body.access_token, expiresAt: Date.now() + expiresIn * 1000 };
    return body.access_token;
  }
}

/** A PKCS#8 PEM, a JWK or a JWKS holding one private key; ES384 for a P-384 key, RS384 for RSA. */
async function readSigningKey(file: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ExportCliError(`Cannot read the key file ${file}: ${(error as Error).message}`, 2);
  }
  let key: KeyObject;
  let declared: { alg?: unknown; kid?: unknown } = {};
  try {
    if (text.trimStart().startsWith('{')) {
      const parsed = JSON.parse(text) as JWK & { keys?: JWK[] };
      const jwk = parsed.keys ? parsed.keys.find((k) => k.d) : parsed;
      if (!jwk?.d) throw new Error('it holds no private key (no "d")');
      declared = jwk;
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } else {
      key = createPrivateKey(text);
    }
  } catch (error) {
    throw new ExportCliError(
      `The key file ${file} is not a private key in PKCS#8 PEM or JWK form (${(error as Error).message}).`,
      2,
    );
  }
  const alg =
    key.asymmetricKeyType === 'rsa'
      ? 'RS384'
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
        ? 'ES384'
        : undefined;
  if (!alg || (declared.alg !== undefined && declared.alg !== alg)) {
    throw new ExportCliError(
      `The key in ${file} cannot sign ES384 or RS384 (the algorithms SMART Backend Services allows here); use a P-384 EC key or an RSA key.`,
      2,
    );
  }
  return { key, alg, kid: typeof declared.kid === 'string' ? declared.kid : undefined };
}
