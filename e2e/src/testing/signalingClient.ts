import type { ClientToServerEvents, Locale, ServerToClientEvents } from '@telemed/shared';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Notification = keyof ServerToClientEvents;
export type PayloadOf<E extends Notification> = Parameters<ServerToClientEvents[E]>[0];

/** How long a test waits for an ack or a notification before it fails. */
export const eventTimeoutMs = 15_000;

export interface ConnectOptions {
  /** Reconnect by itself after a drop (then quickly, as a test of a dropped link wants); off by default. */
  reconnection?: boolean;
  /** The language the socket asks its refusals in (`auth.locale`); the server's default when left out. */
  locale?: Locale;
}

/** A signaling socket over WebSocket, connected with `accessToken`. */
export async function connectSignaling(
  url: string,
  accessToken: string,
  { reconnection = false, locale }: ConnectOptions = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: locale ? { token: accessToken, locale } : { token: accessToken },
    transports: ['websocket'],
    reconnection,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
    timeout: 10_000,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** The next `event` on `socket` that `matches`: listen before the action that causes it. */
export function nextNotification<E extends Notification>(
  socket: ClientSocket,
  event: E,
  matches: (payload: PayloadOf<E>) => boolean = () => true,
  timeoutMs = eventTimeoutMs,
): Promise<PayloadOf<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (name: string, payload: PayloadOf<E>) => {
      if (name !== event || !matches(payload)) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(payload);
    };
    socket.onAny(listener);
  });
}

/** Every notification `socket` receives from now on. */
export function recordNotifications(socket: ClientSocket): Array<{ event: string; payload: unknown }> {
  const received: Array<{ event: string; payload: unknown }> = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  return received;
}

/** `socket`, its acks awaited for as long as a test waits: `request(socket).emitWithAck(...)`. */
export function request(socket: ClientSocket): ReturnType<ClientSocket['timeout']> {
  return socket.timeout(eventTimeoutMs);
}

/** Any event by name, for payloads the typed map would not let through (malformed on purpose, or a page's). */
export function requestByName(socket: ClientSocket, event: string, payload: unknown): Promise<unknown> {
  return (socket.timeout(eventTimeoutMs) as unknown as Socket).emitWithAck(event, payload);
}
