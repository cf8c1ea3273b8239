import type { Logger } from '@telemed/service-kit';
import { AppError, type AuthenticatedUser, type GovernanceSnapshot } from '@telemed/shared';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import { waitingEntries } from '../rooms/roomTransitions.js';
import { channels, type SignalingIo, type SignalingSocket } from '../signalingSocket.js';

export interface GovernanceFeedOptions {
  store: RoomStateStore;
  io: SignalingIo;
  /** How often subscribed administrators get a fresh snapshot. */
  intervalMs: number;
  logger: Logger;
}

/**
 * The governance dashboard's live view. Read from the room state store, so that with Redis it shows every
 * node's rooms; each node pushes only to its own subscribers (`io.local`), so nobody gets one copy per node.
 * Periodic rather than on every room change: a hundred concurrent consultations change many times a second,
 * and the dashboard is watched by a few people who need it fresh to within seconds, not to the event.
 */
export class GovernanceFeed {
  readonly #store: RoomStateStore;
  readonly #io: SignalingIo;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor({ store, io, intervalMs, logger }: GovernanceFeedOptions) {
    this.#store = store;
    this.#io = io;
    this.#intervalMs = intervalMs;
    this.#logger = logger;
  }

  /** An administrator's socket starts watching: the snapshot now, then one every interval. */
  async subscribe(user: AuthenticatedUser, socket: SignalingSocket): Promise<GovernanceSnapshot> {
    if (user.role !== 'administrator') {
      throw new AppError('FORBIDDEN', {
        en: 'Only administrators watch the governance dashboard.',
        ar: 'لوحة متابعة الخدمة للمسؤولين فقط.',
      });
    }
    await socket.join(channels.governance);
    return this.snapshot();
  }

  async snapshot(): Promise<GovernanceSnapshot> {
    const [rooms, specialists] = await Promise.all([
      this.#store.openRooms(),
      this.#io.in(channels.specialists).fetchSockets(),
    ]);
    const inProgress: GovernanceSnapshot['inProgress'] = [];
    const waiting: GovernanceSnapshot['waiting'] = [];
    for (const room of rooms) {
      waiting.push(...waitingEntries(room));
      if (room.appointmentStatus !== 'in-progress') continue;
      const joined = room.participants.filter((p) => p.status === 'joined');
      inProgress.push({
        appointmentId: room.appointmentId,
        ...(room.specialistId ? { specialistId: room.specialistId } : {}),
        joined: joined.length,
        ...(joined.length ? { since: joined.map((p) => p.since).sort()[0] } : {}),
      });
    }
    const online = [...new Set(specialists.map((socket) => socket.data.user.id))].sort();
    return {
      at: new Date().toISOString(),
      inProgress: inProgress.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '')),
      waiting: waiting.sort((a, b) => a.since.localeCompare(b.since)),
      specialistsOnline: { count: online.length, ids: online },
    };
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.#push(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #push(): Promise<void> {
    // Nobody watching on this node: no read of the store at all.
    if (!this.#io.of('/').adapter.rooms.get(channels.governance)?.size) return;
    try {
      this.#io.local.to(channels.governance).emit('governance:snapshot', await this.snapshot());
    } catch (error) {
      // The next interval tries again; the dashboard shows how old its snapshot is meanwhile.
      this.#logger.warn({ err: error }, 'governance snapshot failed');
    }
  }
}
