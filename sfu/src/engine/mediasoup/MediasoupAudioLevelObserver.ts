import type { AudioLevelObserver, AudioLevelObserverEvents } from '../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Producer } from '../Producer.js';
import type { MsAudioLevelObserver, MsProducer } from './mediasoupTypes.js';

export class MediasoupAudioLevelObserver
  extends EnhancedEventEmitter<AudioLevelObserverEvents>
  implements AudioLevelObserver
{
  readonly #o: MsAudioLevelObserver;

  /** `lookup` turns mediasoup's producer objects back into the seam's. */
  constructor(observer: MsAudioLevelObserver, lookup: (id: string) => Producer | undefined) {
    super();
    this.#o = observer;
    let dominant: string | undefined;
    observer.on('volumes', (volumes: { producer: MsProducer; volume: number }[]) => {
      const mapped = volumes.flatMap((v) => {
        const producer = lookup(v.producer.id);
        return producer ? [{ producer, volume: v.volume }] : [];
      });
      this.safeEmit('volumes', mapped);
      const loudest = mapped[0]?.producer;
      if (loudest && loudest.id !== dominant) {
        dominant = loudest.id;
        this.safeEmit('dominantspeaker', loudest);
      }
    });
    observer.on('silence', () => this.safeEmit('silence'));
    observer.on('routerclose', () => this.safeEmit('routerclose'));
  }

  get id() {
    return this.#o.id;
  }
  get closed() {
    return this.#o.closed;
  }
  addProducer(params: { producerId: string }) {
    return this.#o.addProducer(params);
  }
  removeProducer(params: { producerId: string }) {
    return this.#o.removeProducer(params);
  }
  close() {
    this.#o.close();
  }
}
