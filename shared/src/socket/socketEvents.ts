import type { AuthenticatedUser } from '../auth/accessToken.js';
import type { ErrorBody } from '../errors/errorCodes.js';

/** Every acknowledged client event answers with this: the data, or an error a person can act on. */
export type Ack<T> = { ok: true; data: T } | ({ ok: false } & ErrorBody);
export type AckCallback<T> = (result: Ack<T>) => void;

/**
 * Events a browser sends to the signaling server. Both the server and the apps are typed by this map,
 * so renaming an event breaks the build rather than a consultation.
 */
export interface ClientToServerEvents {
  /** Who the server knows this socket to be (a cheap check that the token was accepted). */
  'session:whoami': (ack: AckCallback<AuthenticatedUser>) => void;
}

/** Events the signaling server sends to a browser. */
export interface ServerToClientEvents {
  /** The access token behind this socket expired; the client must refresh and reconnect. */
  'session:expired': (info: ErrorBody) => void;
  /**
   * Records no longer accepts the account behind this socket (deactivated: ACCOUNT_INACTIVE; or changed or
   * gone: UNAUTHENTICATED); the server disconnects the socket right after. Signing in again is the only way back.
   */
  'session:revoked': (info: ErrorBody) => void;
}

// biome-ignore lint/complexity/noBannedTypes: Socket.IO's generic slot for server-to-server events, none yet.
export type InterServerEvents = {};

/** What the signaling server keeps on each authenticated socket. */
export interface SocketData {
  user: AuthenticatedUser;
  tokenExpiresAt: number;
}
