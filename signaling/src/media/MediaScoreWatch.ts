import type { Logger } from '@telemed/service-kit';
import type { SignalingIo } from '../signalingSocket.js';
import type { RoomMedia } from './RoomMedia.js';

/**
 * Tells each participant the scores of their own producers and consumers when they change. The SFU's event
 * log has no score events, so this node samples `getRoomStats` of its rooms with media, one room after another,
 * every `intervalMs`: one call per room per interval, and nothing for rooms without media.
 */
export class MediaScoreWatch {
  readonly #rooms: () => Iterable<RoomMedia>;
  readonly #io: SignalingIo;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  /** Last score told, by producer or consumer id: only changes are sent. */
  #told = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #sweeping = false;

  constructor(rooms: () => Iterable<RoomMedia>, io: SignalingIo, logger: Logger, intervalMs = 3_000) {
    this.#rooms = rooms;
    this.#io = io;
    this.#logger = logger;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    const told = new Map<string, number>();
    try {
      for (const room of [...this.#rooms()]) {
        if (room.closed || !room.hasMedia()) continue;
        const stats = await room.node
          .call('getRoomStats', { roomId: room.appointmentId })
          .catch((error: unknown) => {
            this.#logger.debug({ err: error, appointmentId: room.appointmentId }, 'room stats unavailable');
            return undefined;
          });
        for (const consumer of stats?.consumers ?? []) {
          const owner = room.consumerOwner(consumer.consumerId);
          if (!owner) continue;
          told.set(consumer.consumerId, consumer.score);
          if (this.#told.get(consumer.consumerId) === consumer.score) continue;
          this.#io.to(owner.socketId).emit('media:score', {
            of: 'consumer',
            appointmentId: room.appointmentId,
            consumerId: consumer.consumerId,
            score: consumer.score,
          });
        }
        for (const producer of stats?.producers ?? []) {
          const owner = room.producerOwner(producer.producerId);
          if (!owner || producer.streams.length === 0) continue;
          // Simulcast has a score per layer: the best layer says what the link can carry.
          const score = Math.max(...producer.streams.map((stream) => stream.score));
          told.set(producer.producerId, score);
          if (this.#told.get(producer.producerId) === score) continue;
          this.#io.to(owner.socketId).emit('media:score', {
            of: 'producer',
            appointmentId: room.appointmentId,
            producerId: producer.producerId,
            score,
          });
        }
      }
    } finally {
      // Closed producers and consumers drop out here, so the map stays the size of the live media.
      this.#told = told;
      this.#sweeping = false;
    }
  }
}
