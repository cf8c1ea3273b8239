import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type {
  Producer,
  ProducerEvents,
  ProducerObserverEvents,
  ProducerScore,
  ProducerStat,
} from '../Producer.js';
import type { MediasoupConsumer } from './MediasoupConsumer.js';
import type { MsProducer } from './mediasoupTypes.js';

export class MediasoupProducer extends EnhancedEventEmitter<ProducerEvents> implements Producer {
  readonly observer = new EnhancedEventEmitter<ProducerObserverEvents>();
  readonly #p: MsProducer;
  /** Its consumers on every transport of the router, closed with it (see MediasoupConsumer.producerClosed). */
  readonly #consumers = new Set<MediasoupConsumer>();
  readonly #routerClosed: () => boolean;

  /** `routerClosed` tells a router's close (every consumer gets `transportclose` then) from a transport's. */
  constructor(producer: MsProducer, routerClosed: () => boolean) {
    super();
    this.#p = producer;
    this.#routerClosed = routerClosed;
    producer.on('transportclose', () => {
      if (!this.#routerClosed()) this.#closeConsumers();
      this.safeEmit('transportclose');
    });
    producer.on('score', (score: ProducerScore[]) => this.safeEmit('score', score));
    producer.observer.on('close', () => this.observer.safeEmit('close'));
    producer.observer.on('pause', () => this.observer.safeEmit('pause'));
    producer.observer.on('resume', () => this.observer.safeEmit('resume'));
  }

  get id() {
    return this.#p.id;
  }
  get kind() {
    return this.#p.kind;
  }
  get rtpParameters() {
    return this.#p.rtpParameters;
  }
  get type(): 'simple' | 'simulcast' {
    return this.#p.type === 'simulcast' ? 'simulcast' : 'simple';
  }
  get paused() {
    return this.#p.paused;
  }
  get closed() {
    return this.#p.closed;
  }
  get score() {
    return this.#p.score;
  }
  get appData() {
    return this.#p.appData;
  }
  pause() {
    return this.#p.pause();
  }
  resume() {
    return this.#p.resume();
  }
  async getStats(): Promise<ProducerStat[]> {
    return (await this.#p.getStats()) as unknown as ProducerStat[];
  }
  close() {
    if (this.#p.closed) return;
    this.#closeConsumers();
    this.#p.close();
  }

  /** Called by the router for each consumer created of this producer. */
  addConsumer(consumer: MediasoupConsumer): void {
    if (this.#p.closed) {
      consumer.producerClosed();
      return;
    }
    this.#consumers.add(consumer);
    consumer.observer.on('close', () => this.#consumers.delete(consumer));
  }

  #closeConsumers(): void {
    for (const consumer of [...this.#consumers]) consumer.producerClosed();
    this.#consumers.clear();
  }
}
