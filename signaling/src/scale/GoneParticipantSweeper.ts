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
  /**
   * How long a participant found without a socket keeps its place before it is taken out: its socket died with
   * its node, and the browser reconnects through another node within a second or two and rejoins with its media
   * (`room:join` with `resume`). Taken out at once, a rejoin that came just after the sweep found its place gone.
   */
  graceMs?: number;
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
  #stopped = false;
  /** A sweep waits out the grace: the next period's tick does not start another meanwhile. */
  #sweeping = false;

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
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  /** Takes out this period's gone participants; resolves with how many. */
  async sweep(): Promise<number> {
    if (this.#sweeping) return 0;
    this.#sweeping = true;
    try {
      return await this.#sweep();
    } finally {
      this.#sweeping = false;
    }
  }

  async #sweep(): Promise<number> {
    const { source, io, rooms, intervalMs, graceMs = 0, logger } = this.#options;
    if (!(await source.claimSweep(intervalMs))) return 0;
    const open = await source.openRooms();
    if (open.length === 0) return 0;
    const held = new Set((await io.fetchSockets()).map((socket) => socket.id));
    const gone = open.flatMap((room) =>
      room.participants
        .filter((participant) => !held.has(participant.socketId))
        .map((participant) => ({ appointmentId: room.appointmentId, participant })),
    );
    if (gone.length === 0) return 0;
    // Their sockets may be on their way back through another node: one that rejoined meanwhile holds its place
    // under a new socket, and taking the old one out then fails as "replaced" (`removeIfGone`).
    if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    if (this.#stopped) return 0;
    // A socket that connected after that answer is asked about again, under the room's lock, before it goes.
    const isHeld = async (socketId: string) => (await io.in(socketId).fetchSockets()).length > 0;
    let removed = 0;
    for (const { appointmentId, participant } of gone) {
      if (await rooms.removeIfGone(appointmentId, participant, isHeld)) removed += 1;
    }
    if (removed > 0) logger.warn({ removed }, 'took participants whose node is gone out of their rooms');
    return removed;
  }
}
