import type { MediaKind, RtpParameters } from '@telemed/shared';
import type {
  Consumer,
  ConsumerBandwidthPause,
  ConsumerEvents,
  ConsumerLayers,
  ConsumerObserverEvents,
  ConsumerScore,
  ConsumerStat,
} from '../../Consumer.js';
import { EnhancedEventEmitter } from '../../EnhancedEventEmitter.js';
import type { ThreadChannel } from './ThreadChannel.js';
import type { ConsumerSnapshot } from './threadProtocolTypes.js';

/** The main thread's side of a consumer living in an engine thread. */
export class ThreadedConsumer extends EnhancedEventEmitter<ConsumerEvents> implements Consumer {
  readonly id: string;
  readonly producerId: string;
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast';
  readonly appData: Record<string, unknown>;
  readonly observer = new EnhancedEventEmitter<ConsumerObserverEvents>();
  readonly #channel: ThreadChannel;
  readonly #onClose: (consumer: ThreadedConsumer) => void;
  #paused: boolean;
  #producerPaused: boolean;
  #bandwidthPaused: boolean;
  #closed = false;
  #score: ConsumerScore;
  #preferred: ConsumerLayers | undefined;
  #current: ConsumerLayers | undefined;

  constructor(params: {
    channel: ThreadChannel;
    snapshot: ConsumerSnapshot;
    appData: Record<string, unknown>;
    onClose: (consumer: ThreadedConsumer) => void;
  }) {
    super();
    const s = params.snapshot;
    this.id = s.id;
    this.producerId = s.producerId;
    this.kind = s.kind;
    this.rtpParameters = s.rtpParameters;
    this.type = s.type;
    this.#paused = s.paused;
    this.#producerPaused = s.producerPaused;
    this.#bandwidthPaused = s.bandwidthPaused;
    this.#score = s.score;
    this.#preferred = s.preferredLayers;
    this.#current = s.currentLayers;
    this.appData = params.appData;
    this.#channel = params.channel;
    this.#onClose = params.onClose;
    this.#channel.subscribe(this.id, (name, args, observer) => this.#onEvent(name, args, observer));
  }

  #onEvent(name: string, args: unknown[], observer: boolean): void {
    if (this.#closed) return;
    if (observer) {
      if (name === 'close') this.#doClose();
      return;
    }
    switch (name) {
      case 'transportclose':
        this.transportClosed();
        break;
      case 'producerclose':
        this.producerClosed();
        break;
      case 'producerpause':
        this.#producerPaused = true;
        this.safeEmit('producerpause');
        break;
      case 'producerresume':
        this.#producerPaused = false;
        this.safeEmit('producerresume');
        break;
      case 'score':
        this.#score = args[0] as ConsumerScore;
        this.safeEmit('score', this.#score);
        break;
      case 'layerschange':
        this.#current = (args[0] as ConsumerLayers | null) ?? undefined;
        this.safeEmit('layerschange', (args[0] as ConsumerLayers | null) ?? null);
        break;
      case 'bandwidthpausechange': {
        const change = args[0] as ConsumerBandwidthPause;
        this.#bandwidthPaused = change.paused;
        this.safeEmit('bandwidthpausechange', change);
        break;
      }
    }
  }

  get paused(): boolean {
    return this.#paused;
  }
  get producerPaused(): boolean {
    return this.#producerPaused;
  }
  get bandwidthPaused(): boolean {
    return this.#bandwidthPaused;
  }
  get closed(): boolean {
    return this.#closed;
  }
  get score(): ConsumerScore {
    return this.#score;
  }
  get preferredLayers(): ConsumerLayers | undefined {
    return this.#preferred;
  }
  get currentLayers(): ConsumerLayers | undefined {
    return this.#current;
  }

  async pause(): Promise<void> {
    await this.#channel.call(this.id, 'pause');
    if (this.#paused) return;
    this.#paused = true;
    this.observer.safeEmit('pause');
  }

  async resume(): Promise<void> {
    await this.#channel.call(this.id, 'resume');
    if (!this.#paused) return;
    this.#paused = false;
    this.observer.safeEmit('resume');
  }

  async setPreferredLayers(layers: ConsumerLayers): Promise<void> {
    await this.#channel.call(this.id, 'setPreferredLayers', [layers]);
    this.#preferred = layers;
  }

  requestKeyFrame(): Promise<void> {
    return this.#channel.call(this.id, 'requestKeyFrame');
  }

  getStats(): Promise<ConsumerStat[]> {
    return this.#channel.call(this.id, 'getStats');
  }

  close(): void {
    if (this.#closed) return;
    this.#channel.fire(this.id, 'close');
    this.#doClose();
  }

  /** The transport closed (here or in the thread). */
  transportClosed(): void {
    if (this.#closed) return;
    this.#doClose();
    this.safeEmit('transportclose');
  }

  /** The producer closed: mirrored here at once so callers see it synchronously, as with the in-process engine. */
  producerClosed(): void {
    if (this.#closed) return;
    this.#doClose();
    this.safeEmit('producerclose');
  }

  #doClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.unsubscribe(this.id);
    this.#onClose(this);
    this.observer.safeEmit('close');
  }
}
