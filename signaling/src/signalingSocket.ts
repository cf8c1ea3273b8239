import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '@telemed/shared';
import type { Server, Socket } from 'socket.io';

export type SignalingSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type SignalingIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Socket.IO rooms ("channels" here, so as not to confuse them with consultation rooms). Everything is sent to
 * a channel rather than to a socket object, so that the Redis adapter can carry it to sockets on other nodes.
 */
export const channels = {
  /** Every socket that joined the appointment's consultation room. */
  appointment: (appointmentId: string) => `appointment:${appointmentId}`,
  /** Every socket of one user (the specialist's waiting list goes to all their tabs). */
  user: (userId: string) => `user:${userId}`,
  /** Every specialist's socket: who is online, counted across nodes for the governance dashboard. */
  specialists: 'role:specialist',
  /** Administrators watching the governance dashboard. */
  governance: 'governance',
};
