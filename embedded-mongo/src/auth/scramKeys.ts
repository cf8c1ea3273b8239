import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { saslprep } from '@mongodb-js/saslprep';

/** mongod's default `scramSHA256IterationCount`. */
export const SCRAM_ITERATIONS = 15_000;
/** mongod's SCRAM-SHA-256 salt length: the digest size less the 4 bytes PBKDF2 appends. */
const SALT_BYTES = 28;

/** What the server keeps of a password (RFC 5802 section 3): enough to verify a proof, never the password. */
export interface ScramKeys {
  iterationCount: number;
  /** Base64. */
  salt: string;
  /** Base64 H(ClientKey). */
  storedKey: string;
  /** Base64 HMAC(SaltedPassword, "Server Key"). */
  serverKey: string;
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmacSha256(key: Buffer, text: string | Buffer): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/**
 * Derives the stored keys from a password as SCRAM-SHA-256 (RFC 7677) and the driver do: the password
 * SASLprep'd, salted with PBKDF2-HMAC-SHA-256.
 */
export function deriveScramKeys(
  password: string,
  salt: Buffer = randomBytes(SALT_BYTES),
  iterationCount = SCRAM_ITERATIONS,
): ScramKeys {
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), 'utf8'), salt, iterationCount, 32, 'sha256');
  const clientKey = hmacSha256(salted, 'Client Key');
  return {
    iterationCount,
    salt: salt.toString('base64'),
    storedKey: sha256(clientKey).toString('base64'),
    serverKey: hmacSha256(salted, 'Server Key').toString('base64'),
  };
}

/** Whether `password` is the one `keys` were derived from (in constant time over the keys). */
export function passwordMatches(password: string, keys: ScramKeys): boolean {
  const again = deriveScramKeys(password, Buffer.from(keys.salt, 'base64'), keys.iterationCount);
  return sameBytes(Buffer.from(again.storedKey, 'base64'), Buffer.from(keys.storedKey, 'base64'));
}

export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
