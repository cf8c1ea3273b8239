import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type {
  Producer,
  ProducerEvents,
  ProducerObserverEvents,
  ProducerScore,
  ProducerStat,
} from '../Producer.js';
import type { MsProducer } from './mediasoupTypes.js';

export class MediasoupProducer extends EnhancedEventEmitter<ProducerEvents> implements Producer {
  readonly observer = new EnhancedEventEmitter<ProducerObserverEvents>();
  readonly #p: MsProducer;

  constructor(producer: MsProducer) {
    super();
    this.#p = producer;
    producer.on('transportclose', () => this.safeEmit('transportclose'));
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
    this.#p.close();
  }
}
