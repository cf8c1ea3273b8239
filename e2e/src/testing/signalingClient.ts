import type { ClientToServerEvents, ServerToClientEvents } from '@telemed/shared';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Notification = keyof ServerToClientEvents;
export type PayloadOf<E extends Notification> = Parameters<ServerToClientEvents[E]>[0];

/**
 * A signaling socket over WebSocket, connected with `accessToken`. It does not reconnect by itself unless
 * `reconnection` is asked for (then quickly, as a test of a dropped link wants).
 */
export async function connectSignaling(
  url: string,
  accessToken: string,
  { reconnection = false }: { reconnection?: boolean } = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: { token: accessToken },
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
  timeoutMs = 15_000,
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
