import type { DtlsParameters, IceCandidate, IceParameters } from '@telemed/shared';
import type { Consumer } from '../../Consumer.js';
import { EnhancedEventEmitter } from '../../EnhancedEventEmitter.js';
import type { Producer } from '../../Producer.js';
import type {
  ConsumeOptions,
  DtlsState,
  IceState,
  ProduceOptions,
  TransportStats,
  WebRtcTransport,
  WebRtcTransportEvents,
} from '../../WebRtcTransport.js';
import type { ThreadChannel } from './ThreadChannel.js';
import { ThreadedConsumer } from './ThreadedConsumer.js';
import { ThreadedProducer } from './ThreadedProducer.js';
import type { ConsumerSnapshot, ProducerSnapshot, TransportSnapshot } from './threadProtocolTypes.js';

/** What a transport needs from its router on the main thread. */
export interface ThreadedTransportHost {
  producerAdded(producer: ThreadedProducer): void;
  producerRemoved(producer: ThreadedProducer): void;
  consumerAdded(consumer: ThreadedConsumer): void;
  consumerRemoved(consumer: ThreadedConsumer): void;
  transportClosed(transport: ThreadedWebRtcTransport): void;
}

/** The main thread's side of a WebRTC transport whose sockets and packets live in an engine thread. */
export class ThreadedWebRtcTransport
  extends EnhancedEventEmitter<WebRtcTransportEvents>
  implements WebRtcTransport
{
  readonly id: string;
  readonly appData: Record<string, unknown>;
  readonly iceCandidates: IceCandidate[];
  readonly dtlsParameters: DtlsParameters;
  readonly producers = new Set<ThreadedProducer>();
  readonly consumers = new Set<ThreadedConsumer>();
  readonly #channel: ThreadChannel;
  readonly #host: ThreadedTransportHost;
  #iceParameters: IceParameters;
  #iceState: IceState;
  #dtlsState: DtlsState;
  #closed = false;

  constructor(params: {
    channel: ThreadChannel;
    snapshot: TransportSnapshot;
    appData: Record<string, unknown>;
    host: ThreadedTransportHost;
  }) {
    super();
    const s = params.snapshot;
    this.id = s.id;
    this.iceCandidates = s.iceCandidates;
    this.dtlsParameters = s.dtlsParameters;
    this.#iceParameters = s.iceParameters;
    this.#iceState = s.iceState;
    this.#dtlsState = s.dtlsState;
    this.appData = params.appData;
    this.#channel = params.channel;
    this.#host = params.host;
    this.#channel.subscribe(this.id, (name, args) => {
      if (this.#closed) return;
      if (name === 'icestatechange') {
        this.#iceState = args[0] as IceState;
        this.safeEmit('icestatechange', this.#iceState);
      } else if (name === 'dtlsstatechange') {
        this.#dtlsState = args[0] as DtlsState;
        this.safeEmit('dtlsstatechange', this.#dtlsState);
        // The thread's transport closes itself on these; its producers and consumers report their own closes.
        if (this.#dtlsState === 'failed' || this.#dtlsState === 'closed') this.#close();
      } else if (name === 'routerclose') {
        this.routerClosed();
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }
  get iceParameters(): IceParameters {
    return this.#iceParameters;
  }
  get iceState(): IceState {
    return this.#iceState;
  }
  get dtlsState(): DtlsState {
    return this.#dtlsState;
  }

  connect(params: { dtlsParameters: DtlsParameters }): Promise<void> {
    return this.#channel.call(this.id, 'connect', [params]);
  }

  async restartIce(): Promise<IceParameters> {
    this.#iceParameters = await this.#channel.call<IceParameters>(this.id, 'restartIce');
    return this.#iceParameters;
  }

  setMaxIncomingBitrate(bitrate: number): Promise<void> {
    return this.#channel.call(this.id, 'setMaxIncomingBitrate', [bitrate]);
  }

  async produce(options: ProduceOptions): Promise<Producer> {
    const { appData, ...rest } = options;
    const snapshot = await this.#channel.call<ProducerSnapshot>(this.id, 'produce', [rest]);
    const producer = new ThreadedProducer({
      channel: this.#channel,
      snapshot,
      appData: appData ?? {},
      onClose: (p) => {
        this.producers.delete(p);
        this.#host.producerRemoved(p);
      },
    });
    this.producers.add(producer);
    this.#host.producerAdded(producer);
    return producer;
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    const { appData, ...rest } = options;
    const snapshot = await this.#channel.call<ConsumerSnapshot>(this.id, 'consume', [rest]);
    const consumer = new ThreadedConsumer({
      channel: this.#channel,
      snapshot,
      appData: appData ?? {},
      onClose: (c) => {
        this.consumers.delete(c);
        this.#host.consumerRemoved(c);
      },
    });
    this.consumers.add(consumer);
    this.#host.consumerAdded(consumer);
    return consumer;
  }

  getStats(): Promise<TransportStats[]> {
    return this.#channel.call(this.id, 'getStats');
  }

  close(): void {
    if (this.#closed) return;
    this.#channel.fire(this.id, 'close');
    this.#close();
  }

  /** The router closed (here or in the thread). */
  routerClosed(): void {
    if (this.#closed) return;
    this.#close();
    this.safeEmit('routerclose');
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#iceState = 'closed';
    if (this.#dtlsState !== 'failed') this.#dtlsState = 'closed';
    for (const producer of [...this.producers]) producer.transportClosed();
    for (const consumer of [...this.consumers]) consumer.transportClosed();
    this.#channel.unsubscribe(this.id);
    this.#host.transportClosed(this);
  }
}
