import type { MediaKind, RtpParameters } from '@telemed/shared';
import { EnhancedEventEmitter } from '../../EnhancedEventEmitter.js';
import type {
  Producer,
  ProducerEvents,
  ProducerObserverEvents,
  ProducerScore,
  ProducerStat,
} from '../../Producer.js';
import type { ThreadChannel } from './ThreadChannel.js';
import type { ProducerSnapshot } from './threadProtocolTypes.js';

/** The main thread's side of a producer living in an engine thread. */
export class ThreadedProducer extends EnhancedEventEmitter<ProducerEvents> implements Producer {
  readonly id: string;
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast';
  readonly appData: Record<string, unknown>;
  readonly observer = new EnhancedEventEmitter<ProducerObserverEvents>();
  readonly #channel: ThreadChannel;
  readonly #onClose: (producer: ThreadedProducer) => void;
  #paused: boolean;
  #closed = false;
  #score: ProducerScore[];

  constructor(params: {
    channel: ThreadChannel;
    snapshot: ProducerSnapshot;
    appData: Record<string, unknown>;
    onClose: (producer: ThreadedProducer) => void;
  }) {
    super();
    const s = params.snapshot;
    this.id = s.id;
    this.kind = s.kind;
    this.rtpParameters = s.rtpParameters;
    this.type = s.type;
    this.#paused = s.paused;
    this.#score = s.score;
    this.appData = params.appData;
    this.#channel = params.channel;
    this.#onClose = params.onClose;
    this.#channel.subscribe(this.id, (name, args, observer) => {
      if (this.#closed) return;
      if (!observer && name === 'transportclose') this.transportClosed();
      else if (!observer && name === 'score') {
        this.#score = args[0] as ProducerScore[];
        this.safeEmit('score', this.#score);
      } else if (observer && name === 'close') this.#doClose();
    });
  }

  get paused(): boolean {
    return this.#paused;
  }
  get closed(): boolean {
    return this.#closed;
  }
  get score(): ProducerScore[] {
    return this.#score;
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

  getStats(): Promise<ProducerStat[]> {
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

  #doClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.unsubscribe(this.id);
    this.#onClose(this);
    this.observer.safeEmit('close');
  }
}
