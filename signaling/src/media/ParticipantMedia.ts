import { AppError, type MediaKind, type TransportDirection } from '@telemed/shared';
import { type MediaItem, mediaItemNames } from './mediaItemNames.js';

export interface ConsumerEntry {
  producerId: string;
  transportId: string;
}

/**
 * One participant's media in one room, as the node its socket is on knows it: the transports, producers and
 * consumers it created through that socket. It answers "is this id the caller's own?", so no participant can
 * touch another's media, and whose consumer an SFU event concerns. What is open on the SFU is closed by
 * whoever takes the ids out of the shared room state (`SharedMediaIds`), which may be another node: `forget()`
 * (they left, were replaced or lost) only drops this node's view, and is idempotent.
 */
export class ParticipantMedia {
  readonly participantId: string;
  readonly socketId: string;
  readonly #transports = new Map<string, TransportDirection>();
  readonly #producers = new Map<string, MediaKind>();
  readonly #consumers = new Map<string, ConsumerEntry>();
  #closed = false;

  constructor(participantId: string, socketId: string) {
    this.participantId = participantId;
    this.socketId = socketId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get producers(): ReadonlyMap<string, MediaKind> {
    return this.#producers;
  }

  addTransport(transportId: string, direction: TransportDirection): void {
    this.#transports.set(transportId, direction);
  }

  addProducer(producerId: string, kind: MediaKind): void {
    this.#producers.set(producerId, kind);
  }

  addConsumer(consumerId: string, entry: ConsumerEntry): void {
    this.#consumers.set(consumerId, entry);
  }

  hasProducersOrConsumers(): boolean {
    return this.#producers.size > 0 || this.#consumers.size > 0;
  }

  hasConsumer(consumerId: string): boolean {
    return this.#consumers.has(consumerId);
  }

  /** The caller's transport `transportId`, which must go in `direction` when one is given. */
  assertTransport(transportId: string, direction?: TransportDirection): void {
    const found = this.#transports.get(transportId);
    if (found === undefined) throw notYours('transport');
    if (direction !== undefined && found !== direction) {
      throw new AppError('MEDIA_OUT_OF_ORDER', {
        en: `Transport ${transportId} is not a ${direction} transport.`,
        ar: `الناقل ${transportId} ليس ناقل ${direction === 'send' ? 'إرسال' : 'استقبال'}.`,
      });
    }
  }

  assertProducer(producerId: string): void {
    if (!this.#producers.has(producerId)) throw notYours('producer');
  }

  assertConsumer(consumerId: string): void {
    if (!this.#consumers.has(consumerId)) throw notYours('consumer');
  }

  /** The newest receive transport: consumers go there. */
  receiveTransport(): string {
    const ids = [...this.#transports].filter(([, direction]) => direction === 'recv').map(([id]) => id);
    const newest = ids.at(-1);
    if (newest === undefined) {
      throw new AppError('MEDIA_OUT_OF_ORDER', {
        en: 'Create a receive transport before consuming.',
        ar: 'أنشئ ناقل الاستقبال قبل استقبال البث.',
      });
    }
    return newest;
  }

  /** Forgets a transport the SFU closed, with its consumers; true when it was this participant's. */
  transportClosed(transportId: string): boolean {
    if (!this.#transports.delete(transportId)) return false;
    for (const [consumerId, entry] of this.#consumers) {
      if (entry.transportId === transportId) this.#consumers.delete(consumerId);
    }
    return true;
  }

  /** Forgets a producer the SFU closed or the owner closed; true when it was this participant's. */
  producerClosed(producerId: string): boolean {
    return this.#producers.delete(producerId);
  }

  consumerClosed(consumerId: string): boolean {
    return this.#consumers.delete(consumerId);
  }

  forget(): void {
    this.#closed = true;
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
  }
}

function notYours(what: MediaItem): AppError {
  return new AppError('MEDIA_NOT_FOUND', {
    en: `This ${what} is not yours in this room, or it is closed.`,
    ar: `${mediaItemNames[what].ar} لا يخصك في هذه الغرفة أو أُغلق؛ أعد إعداد الصوت والصورة.`,
  });
}

/** Closing what the SFU already closed (or a router already gone) is not a failure. */
export function ignoreGone(error: unknown): void {
  if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'ROOM_NOT_FOUND')) return;
  throw error;
}
