import { randomUUID } from 'node:crypto';
import { AppError } from '@telemed/shared';
import type {
  AudioLevelObserver,
  AudioLevelObserverEvents,
  AudioLevelObserverVolume,
} from '../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { WeriftProducer } from './WeriftProducer.js';

/** Averages the ssrc-audio-level header extension per producer and reports the loudest ones. */
export class WeriftAudioLevelObserver
  extends EnhancedEventEmitter<AudioLevelObserverEvents>
  implements AudioLevelObserver
{
  readonly id = randomUUID();
  readonly #maxEntries: number;
  readonly #threshold: number;
  readonly #interval: number;
  readonly #getProducer: (id: string) => WeriftProducer | undefined;
  readonly #onClose: (observer: WeriftAudioLevelObserver) => void;
  readonly #sums = new Map<WeriftProducer, { sum: number; count: number }>();
  readonly #listener = (producer: WeriftProducer, dBov: number) => {
    const entry = this.#sums.get(producer);
    if (entry) {
      entry.sum += dBov;
      entry.count++;
    }
  };
  #lastReportMs = performance.now();
  #silent = true;
  #dominant: WeriftProducer | undefined;
  #closed = false;

  constructor(params: {
    maxEntries?: number;
    threshold?: number;
    interval?: number;
    getProducer: (id: string) => WeriftProducer | undefined;
    onClose: (observer: WeriftAudioLevelObserver) => void;
  }) {
    super();
    this.#maxEntries = params.maxEntries ?? 1;
    this.#threshold = params.threshold ?? -80;
    this.#interval = params.interval ?? 1000;
    this.#getProducer = params.getProducer;
    this.#onClose = params.onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async addProducer({ producerId }: { producerId: string }): Promise<void> {
    const producer = this.#getProducer(producerId);
    if (!producer) throw new AppError('NOT_FOUND', `No producer ${producerId}`);
    if (producer.kind !== 'audio')
      throw new AppError('VALIDATION_FAILED', 'Only audio producers have audio levels');
    if (this.#sums.has(producer)) return;
    this.#sums.set(producer, { sum: 0, count: 0 });
    producer.audioLevelListeners.add(this.#listener);
  }

  async removeProducer({ producerId }: { producerId: string }): Promise<void> {
    for (const producer of this.#sums.keys()) {
      if (producer.id === producerId) this.#forget(producer);
    }
  }

  #forget(producer: WeriftProducer): void {
    producer.audioLevelListeners.delete(this.#listener);
    this.#sums.delete(producer);
    if (this.#dominant === producer) this.#dominant = undefined;
  }

  tick(nowMs: number): void {
    if (this.#closed || nowMs - this.#lastReportMs < this.#interval) return;
    this.#lastReportMs = nowMs;
    const volumes: (AudioLevelObserverVolume & { producer: WeriftProducer })[] = [];
    for (const [producer, entry] of this.#sums) {
      if (producer.closed) {
        this.#forget(producer);
        continue;
      }
      if (entry.count > 0) {
        const volume = entry.sum / entry.count;
        if (volume >= this.#threshold && !producer.paused) volumes.push({ producer, volume });
      }
      entry.sum = 0;
      entry.count = 0;
    }
    volumes.sort((a, b) => b.volume - a.volume);
    if (volumes.length === 0) {
      if (!this.#silent) {
        this.#silent = true;
        this.safeEmit('silence');
      }
      return;
    }
    this.#silent = false;
    this.safeEmit('volumes', volumes.slice(0, this.#maxEntries));
    const loudest = volumes[0]?.producer;
    if (loudest && loudest !== this.#dominant) {
      this.#dominant = loudest;
      this.safeEmit('dominantspeaker', loudest);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const producer of [...this.#sums.keys()]) this.#forget(producer);
    this.#onClose(this);
  }

  routerClosed(): void {
    if (this.#closed) return;
    this.close();
    this.safeEmit('routerclose');
  }
}
