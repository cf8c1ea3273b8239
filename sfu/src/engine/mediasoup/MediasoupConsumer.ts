import type {
  Consumer,
  ConsumerEvents,
  ConsumerLayers,
  ConsumerObserverEvents,
  ConsumerScore,
  ConsumerStat,
} from '../Consumer.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { MsConsumer } from './mediasoupTypes.js';

export class MediasoupConsumer extends EnhancedEventEmitter<ConsumerEvents> implements Consumer {
  readonly observer = new EnhancedEventEmitter<ConsumerObserverEvents>();
  readonly #c: MsConsumer;
  #bandwidthPaused = false;
  /** Set when the seam closed this consumer for its producer, before mediasoup's worker says so. */
  #closedWithProducer = false;

  constructor(consumer: MsConsumer) {
    super();
    this.#c = consumer;
    consumer.on('transportclose', () => this.safeEmit('transportclose'));
    consumer.on('producerclose', () => {
      if (!this.#closedWithProducer) this.safeEmit('producerclose');
    });
    consumer.on('producerpause', () => this.safeEmit('producerpause'));
    consumer.on('producerresume', () => this.safeEmit('producerresume'));
    consumer.on('score', (score: ConsumerScore) => this.safeEmit('score', score));
    consumer.on('layerschange', (layers: ConsumerLayers | undefined) => {
      this.safeEmit('layerschange', layers ?? null);
      this.#followLayers(layers);
    });
    consumer.observer.on('close', () => this.observer.safeEmit('close'));
    consumer.observer.on('pause', () => this.observer.safeEmit('pause'));
    consumer.observer.on('resume', () => this.observer.safeEmit('resume'));
  }

  /**
   * mediasoup stops sending a video consumer whose lowest layer the bandwidth estimate cannot carry, and says so
   * with layers null while neither side is paused: that is its audio-only fallback, told here as the seam's
   * bandwidth pause. Any layers again (or a person's pause) ends it.
   */
  #followLayers(layers: ConsumerLayers | undefined): void {
    const starved = !layers && this.#c.kind === 'video' && !this.#c.paused && !this.#c.producerPaused;
    if (starved === this.#bandwidthPaused) return;
    this.#bandwidthPaused = starved;
    this.safeEmit('bandwidthpausechange', { paused: starved });
  }

  get bandwidthPaused() {
    return this.#bandwidthPaused;
  }
  get id() {
    return this.#c.id;
  }
  get producerId() {
    return this.#c.producerId;
  }
  get kind() {
    return this.#c.kind;
  }
  get rtpParameters() {
    return this.#c.rtpParameters;
  }
  get type(): 'simple' | 'simulcast' {
    return this.#c.type === 'simulcast' ? 'simulcast' : 'simple';
  }
  get paused() {
    return this.#c.paused;
  }
  get producerPaused() {
    return this.#c.producerPaused;
  }
  get closed() {
    return this.#closedWithProducer || this.#c.closed;
  }
  get score() {
    return this.#c.score;
  }
  get preferredLayers() {
    return this.#c.preferredLayers;
  }
  get currentLayers() {
    return this.#c.currentLayers;
  }
  get appData() {
    return this.#c.appData;
  }
  pause() {
    return this.#c.pause();
  }
  resume() {
    return this.#c.resume();
  }
  setPreferredLayers(layers: ConsumerLayers) {
    return this.#c.setPreferredLayers(layers);
  }
  requestKeyFrame() {
    return this.#c.requestKeyFrame();
  }
  async getStats(): Promise<ConsumerStat[]> {
    return (await this.#c.getStats()) as unknown as ConsumerStat[];
  }
  close() {
    this.#c.close();
  }

  /**
   * The seam promises that a producer's consumers are closed, with `producerclose`, before the producer's
   * `close()` returns; mediasoup's worker tells a consumer so only later (a notification over its channel).
   * So the adapter closes it here, as mediasoup's own Consumer does on that notification: closed first, then
   * `producerclose`, then the observer's `close` (from closing mediasoup's consumer, which also drops its channel
   * listeners, so the worker's late notification is not told twice).
   */
  producerClosed(): void {
    if (this.closed) return;
    this.#closedWithProducer = true;
    this.safeEmit('producerclose');
    this.#c.close();
  }
}
