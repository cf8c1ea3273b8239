import { EventEmitter } from 'node:events';
import { channels, type SignalingSocket } from '../signalingSocket.js';

/**
 * One participant's socket in one consultation room, on this node: it is in the room's channel, so it receives
 * the room's broadcasts, while it is open. Notices go to channels (not to this object) so that the Redis adapter
 * can carry them to any node. `close()` comes from the room (left, replaced, ended, or the room closed) and is
 * idempotent; the media step hangs this participant's transports off it.
 */
export class Participant {
  readonly participantId: string;
  readonly appointmentId: string;
  #socket: SignalingSocket;
  readonly #events = new EventEmitter<{ close: [] }>();
  #closed = false;

  constructor(appointmentId: string, participantId: string, socket: SignalingSocket) {
    this.appointmentId = appointmentId;
    this.participantId = participantId;
    this.#socket = socket;
    void socket.join(channels.appointment(appointmentId));
  }

  get socketId(): string {
    return this.#socket.id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: () => void): void {
    this.#events.once('close', listener);
  }

  /**
   * The same socket came back after a dropped link (Socket.IO recovered its state: same id, new object). The
   * place, and whatever hangs off it, stays; only the object to speak through changes.
   */
  rebind(socket: SignalingSocket): void {
    this.#socket = socket;
    void socket.join(channels.appointment(this.appointmentId));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#socket.leave(channels.appointment(this.appointmentId));
    this.#events.emit('close');
  }
}
