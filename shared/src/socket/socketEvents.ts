import type { AuthenticatedUser } from '../auth/accessToken.js';
import type { ErrorBody } from '../errors/errorCodes.js';
import type {
  SignalingAck,
  SignalingNotification,
  SignalingNotificationName,
  SignalingRequest,
  SignalingRequestName,
  signalingRequests,
} from './signalingEvents.js';

/** Every acknowledged client event answers with this: the data, or an error a person can act on. */
export type Ack<T> = { ok: true; data: T } | ({ ok: false } & ErrorBody);
export type AckCallback<T> = (result: Ack<T>) => void;

type RequestArgs<E extends SignalingRequestName> = (typeof signalingRequests)[E]['request'] extends null
  ? [ack: AckCallback<SignalingAck<E>>]
  : [payload: SignalingRequest<E>, ack: AckCallback<SignalingAck<E>>];

/**
 * Events a browser sends to the signaling server, derived from the table in `signalingEvents.ts`. Both the
 * server and the apps are typed by this map, so renaming an event breaks the build rather than a consultation.
 */
export type ClientToServerEvents = {
  [E in SignalingRequestName]: (...args: RequestArgs<E>) => void;
};

/** Events the signaling server sends to a browser, derived from the same table. */
export type ServerToClientEvents = {
  [E in SignalingNotificationName]: (payload: SignalingNotification<E>) => void;
};

// biome-ignore lint/complexity/noBannedTypes: Socket.IO's generic slot for server-to-server events, none yet.
export type InterServerEvents = {};

/** What the signaling server keeps on each authenticated socket. */
export interface SocketData {
  user: AuthenticatedUser;
  tokenExpiresAt: number;
}
