import { AppError, type RtpCapabilities } from '@telemed/shared';
import type { AudioLevelObserver, AudioLevelObserverOptions } from '../../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../../EnhancedEventEmitter.js';
import type { Router, RouterEvents } from '../../Router.js';
import type { WebRtcTransport, WebRtcTransportOptions } from '../../WebRtcTransport.js';
import { findConsumerCodec, getProducerCodecMapping } from '../ortc.js';
import type { ThreadChannel } from './ThreadChannel.js';
import { ThreadedAudioLevelObserver } from './ThreadedAudioLevelObserver.js';
import type { ThreadedConsumer } from './ThreadedConsumer.js';
import type { ThreadedProducer } from './ThreadedProducer.js';
import { type ThreadedTransportHost, ThreadedWebRtcTransport } from './ThreadedWebRtcTransport.js';

/**
 * The main thread's side of a router in an engine thread. It mirrors the router's producers and
 * consumers, so `canConsume` and close cascades answer synchronously, as they do in-process.
 */
export class ThreadedRouter
  extends EnhancedEventEmitter<RouterEvents>
  implements Router, ThreadedTransportHost
{
  readonly id: string;
  readonly rtpCapabilities: RtpCapabilities;
  readonly appData: Record<string, unknown>;
  readonly #channel: ThreadChannel;
  readonly #onClose: (router: ThreadedRouter) => void;
  readonly #transports = new Set<ThreadedWebRtcTransport>();
  readonly #observers = new Set<ThreadedAudioLevelObserver>();
  readonly #producers = new Map<string, ThreadedProducer>();
  readonly #consumers = new Set<ThreadedConsumer>();
  #closed = false;

  constructor(params: {
    channel: ThreadChannel;
    id: string;
    rtpCapabilities: RtpCapabilities;
    appData: Record<string, unknown>;
    onClose: (router: ThreadedRouter) => void;
  }) {
    super();
    this.id = params.id;
    this.rtpCapabilities = params.rtpCapabilities;
    this.appData = params.appData;
    this.#channel = params.channel;
    this.#onClose = params.onClose;
    this.#channel.subscribe(this.id, (name) => {
      if (name === 'workerclose') this.workerClosed();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async createWebRtcTransport(options: WebRtcTransportOptions): Promise<WebRtcTransport> {
    if (this.#closed) throw new AppError('CONFLICT', 'The router is closed');
    const { appData, ...rest } = options;
    const snapshot = await this.#channel.call<
      ConstructorParameters<typeof ThreadedWebRtcTransport>[0]['snapshot']
    >(this.id, 'createWebRtcTransport', [rest]);
    const transport = new ThreadedWebRtcTransport({
      channel: this.#channel,
      snapshot,
      appData: appData ?? {},
      host: this,
    });
    if (this.#closed) {
      transport.close();
      throw new AppError('CONFLICT', 'The router closed while the transport was created');
    }
    this.#transports.add(transport);
    return transport;
  }

  async createAudioLevelObserver(options: AudioLevelObserverOptions = {}): Promise<AudioLevelObserver> {
    if (this.#closed) throw new AppError('CONFLICT', 'The router is closed');
    const { id } = await this.#channel.call<{ id: string }>(this.id, 'createAudioLevelObserver', [options]);
    const observer = new ThreadedAudioLevelObserver({
      id,
      channel: this.#channel,
      producer: (producerId) => this.#producers.get(producerId),
      onClose: (o) => this.#observers.delete(o),
    });
    this.#observers.add(observer);
    return observer;
  }

  canConsume({
    producerId,
    rtpCapabilities,
  }: {
    producerId: string;
    rtpCapabilities: RtpCapabilities;
  }): boolean {
    const producer = this.#producers.get(producerId);
    if (!producer) return false;
    const [mapping] = getProducerCodecMapping(producer.kind, producer.rtpParameters, this.rtpCapabilities);
    return mapping !== undefined && findConsumerCodec(mapping, rtpCapabilities) !== undefined;
  }

  producerAdded(producer: ThreadedProducer): void {
    this.#producers.set(producer.id, producer);
  }
  producerRemoved(producer: ThreadedProducer): void {
    this.#producers.delete(producer.id);
    for (const consumer of [...this.#consumers]) {
      if (consumer.producerId === producer.id) consumer.producerClosed();
    }
  }
  consumerAdded(consumer: ThreadedConsumer): void {
    this.#consumers.add(consumer);
  }
  consumerRemoved(consumer: ThreadedConsumer): void {
    this.#consumers.delete(consumer);
  }
  transportClosed(transport: ThreadedWebRtcTransport): void {
    this.#transports.delete(transport);
  }

  close(): void {
    if (this.#closed) return;
    this.#channel.fire(this.id, 'close');
    this.#close();
  }

  /** The worker closed or its thread died. */
  workerClosed(): void {
    if (this.#closed) return;
    this.#close();
    this.safeEmit('workerclose');
  }

  #close(): void {
    this.#closed = true;
    for (const transport of [...this.#transports]) transport.routerClosed();
    for (const observer of [...this.#observers]) observer.routerClosed();
    this.#channel.unsubscribe(this.id);
    this.#onClose(this);
  }
}
