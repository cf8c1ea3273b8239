import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import { hmacSha256, sameBytes, sha256 } from './scramKeys.js';
import { SCRAM_SHA_256, type StoredUser, type UserStore } from './UserStore.js';

/** A nonce: printable ASCII without the comma (RFC 5802 section 7). */
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as mongod runs it: `saslStart` carries
 * the client-first message, `saslContinue` the client-final one with the proof, answered with the server
 * signature. Every failure reads "Authentication failed." as mongod's do, so a client cannot tell an unknown
 * user from a wrong password.
 */
export class ScramConversation {
  readonly user: StoredUser;
  readonly #gs2Header: string;
  readonly #clientFirstBare: string;
  readonly #serverFirst: string;
  readonly #nonce: string;

  private constructor(user: StoredUser, gs2Header: string, clientFirstBare: string, clientNonce: string) {
    const keys = user.credentials[SCRAM_SHA_256];
    this.user = user;
    this.#gs2Header = gs2Header;
    this.#clientFirstBare = clientFirstBare;
    this.#nonce = `${clientNonce}${randomBytes(24).toString('base64')}`;
    this.#serverFirst = `r=${this.#nonce},s=${keys.salt},i=${keys.iterationCount}`;
  }

  /** Reads the client-first message for a user of `db`; throws AuthenticationFailed. */
  static start(users: UserStore, db: string, mechanism: unknown, payload: Buffer): ScramConversation {
    if (mechanism !== SCRAM_SHA_256) {
      throw new MongoCommandError(
        ErrorCode.MechanismUnavailable,
        `Received authentication for mechanism ${String(mechanism)} which is not enabled`,
      );
    }
    const message = payload.toString('utf8');
    // gs2-header: no channel binding ("n" or "y") and no authorization identity.
    const match = /^([ny]),,(n=([^,]*),r=([^,]*))$/.exec(message);
    const username = match ? decodeSaslName(match[3]!) : undefined;
    if (!match || username === undefined || username === '' || !NONCE.test(match[4]!)) throw failed();
    const user = users.find(db, username);
    if (!user?.credentials?.[SCRAM_SHA_256]) throw failed();
    return new ScramConversation(user, `${match[1]},,`, match[2]!, match[4]!);
  }

  get serverFirst(): Buffer {
    return Buffer.from(this.#serverFirst, 'utf8');
  }

  /** Checks the client-final message's proof; returns the server-final message (`v=` signature). */
  finish(payload: Buffer): Buffer {
    const message = payload.toString('utf8');
    const match = /^(c=([^,]*),r=([^,]*)),p=([A-Za-z0-9+/=]+)$/.exec(message);
    if (!match) throw failed();
    const [, withoutProof, channelBinding, nonce, proofBase64] = match;
    if (channelBinding !== Buffer.from(this.#gs2Header).toString('base64') || nonce !== this.#nonce)
      throw failed();
    const keys = this.user.credentials[SCRAM_SHA_256];
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(keys.storedKey, 'base64');
    const clientSignature = hmacSha256(storedKey, authMessage);
    const proof = Buffer.from(proofBase64!, 'base64');
    if (proof.length !== clientSignature.length) throw failed();
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!sameBytes(sha256(clientKey), storedKey)) throw failed();
    const serverSignature = hmacSha256(Buffer.from(keys.serverKey, 'base64'), authMessage);
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }
}

/** A saslname with "=2C" and "=3D" for "," and "="; undefined when another "=" escape appears. */
function decodeSaslName(name: string): string | undefined {
  if (/=(?!2C|3D)/.test(name)) return undefined;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export function failed(): MongoCommandError {
  return new MongoCommandError(ErrorCode.AuthenticationFailed, 'Authentication failed.');
}
