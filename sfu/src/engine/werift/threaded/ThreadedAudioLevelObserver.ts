import type {
  AudioLevelObserver,
  AudioLevelObserverEvents,
  AudioLevelObserverVolume,
} from '../../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../../EnhancedEventEmitter.js';
import type { Producer } from '../../Producer.js';
import type { ThreadChannel } from './ThreadChannel.js';

/** The main thread's side of an audio level observer; the thread reports producers by id. */
export class ThreadedAudioLevelObserver
  extends EnhancedEventEmitter<AudioLevelObserverEvents>
  implements AudioLevelObserver
{
  readonly id: string;
  readonly #channel: ThreadChannel;
  readonly #producer: (id: string) => Producer | undefined;
  readonly #onClose: (observer: ThreadedAudioLevelObserver) => void;
  #closed = false;

  constructor(params: {
    id: string;
    channel: ThreadChannel;
    producer: (id: string) => Producer | undefined;
    onClose: (observer: ThreadedAudioLevelObserver) => void;
  }) {
    super();
    this.id = params.id;
    this.#channel = params.channel;
    this.#producer = params.producer;
    this.#onClose = params.onClose;
    this.#channel.subscribe(this.id, (name, args) => {
      if (this.#closed) return;
      if (name === 'volumes') {
        const volumes: AudioLevelObserverVolume[] = [];
        for (const v of args[0] as { producer: string; volume: number }[]) {
          const producer = this.#producer(v.producer);
          if (producer) volumes.push({ producer, volume: v.volume });
        }
        if (volumes.length > 0) this.safeEmit('volumes', volumes);
      } else if (name === 'silence') {
        this.safeEmit('silence');
      } else if (name === 'dominantspeaker') {
        const producer = this.#producer(args[0] as string);
        if (producer) this.safeEmit('dominantspeaker', producer);
      } else if (name === 'routerclose') {
        this.routerClosed();
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  addProducer(params: { producerId: string }): Promise<void> {
    return this.#channel.call(this.id, 'addProducer', [params]);
  }

  removeProducer(params: { producerId: string }): Promise<void> {
    return this.#channel.call(this.id, 'removeProducer', [params]);
  }

  close(): void {
    if (this.#closed) return;
    this.#channel.fire(this.id, 'close');
    this.#doClose();
  }

  /** The router closed (here or in the thread). */
  routerClosed(): void {
    if (this.#closed) return;
    this.#doClose();
    this.safeEmit('routerclose');
  }

  #doClose(): void {
    this.#closed = true;
    this.#channel.unsubscribe(this.id);
    this.#onClose(this);
  }
}
