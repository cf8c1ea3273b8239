import type { Logger } from '@telemed/service-kit';
import type { ConsultationRooms } from '../rooms/ConsultationRooms.js';
import type { StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import type { SignalingIo } from '../signalingSocket.js';

/** The shared rooms, as the sweep needs them (`RedisRoomStateStore`). */
export interface OpenRoomsSource {
  openRooms(): Promise<StoredRoom[]>;
  claimSweep(periodMs: number): Promise<boolean>;
}

export interface GoneParticipantSweeperOptions {
  source: OpenRoomsSource;
  io: SignalingIo;
  rooms: ConsultationRooms;
  intervalMs: number;
  logger: Logger;
}

/**
 * A node that is killed (not stopped) never gives its users' places up: they would stay in the shared rooms,
 * waiting on the specialist's list, for good. Each period one node (whichever claims it) asks every node which
 * sockets it holds (`fetchSockets` through the adapter) and takes out of the rooms each participant whose
 * socket no node holds, as if it had disconnected: the room's `participantRemoved` hook then closes their media
 * on the SFU by the ids in the shared state. Not needed with one node: its sockets die with it.
 */
export class GoneParticipantSweeper {
  readonly #options: GoneParticipantSweeperOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: GoneParticipantSweeperOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.#options.logger.warn({ err: error }, 'sweeping gone participants failed; next period retries'),
      );
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Takes out this period's gone participants; resolves with how many. */
  async sweep(): Promise<number> {
    const { source, io, rooms, intervalMs, logger } = this.#options;
    if (!(await source.claimSweep(intervalMs))) return 0;
    const open = await source.openRooms();
    if (open.length === 0) return 0;
    const held = new Set((await io.fetchSockets()).map((socket) => socket.id));
    // A socket that connected after that answer is asked about again, under the room's lock, before it goes.
    const isHeld = async (socketId: string) => (await io.in(socketId).fetchSockets()).length > 0;
    let removed = 0;
    for (const room of open) {
      for (const participant of room.participants) {
        if (held.has(participant.socketId)) continue;
        if (await rooms.removeIfGone(room.appointmentId, participant, isHeld)) removed += 1;
      }
    }
    if (removed > 0) logger.warn({ removed }, 'took participants whose node is gone out of their rooms');
    return removed;
  }
}
