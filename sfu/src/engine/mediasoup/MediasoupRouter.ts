import { AppError, type RtpCapabilities } from '@telemed/shared';
import type { AudioLevelObserver, AudioLevelObserverOptions } from '../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Router, RouterEvents } from '../Router.js';
import type { WebRtcTransport, WebRtcTransportOptions } from '../WebRtcTransport.js';
import { MediasoupAudioLevelObserver } from './MediasoupAudioLevelObserver.js';
import type { MediasoupProducer } from './MediasoupProducer.js';
import { MediasoupWebRtcTransport } from './MediasoupWebRtcTransport.js';
import type { MsRouter } from './mediasoupTypes.js';

export class MediasoupRouter extends EnhancedEventEmitter<RouterEvents> implements Router {
  readonly #r: MsRouter;
  readonly #portRange: { min: number; max: number };
  readonly #producers = new Map<string, MediasoupProducer>();

  constructor(router: MsRouter, portRange: { min: number; max: number }) {
    super();
    this.#r = router;
    this.#portRange = portRange;
    router.on('workerclose', () => this.safeEmit('workerclose'));
  }

  get id() {
    return this.#r.id;
  }
  get closed() {
    return this.#r.closed;
  }
  get rtpCapabilities() {
    return this.#r.rtpCapabilities;
  }
  get appData() {
    return this.#r.appData;
  }

  /**
   * mediasoup's Router marks itself closed but still sends new requests to the worker, which no longer knows it
   * ("Channel request handler … not found"); the seam refuses them here, as the werift router does.
   */
  #refuseIfClosed(): void {
    if (this.#r.closed) throw new AppError('CONFLICT', 'The router is closed');
  }

  async createWebRtcTransport(options: WebRtcTransportOptions): Promise<WebRtcTransport> {
    this.#refuseIfClosed();
    const routerClosed = () => this.#r.closed;
    const transport = new MediasoupWebRtcTransport(
      await this.#r.createWebRtcTransport({
        listenInfos: [
          {
            protocol: 'udp',
            ip: options.listenIp,
            ...(options.announcedIp ? { announcedAddress: options.announcedIp } : {}),
            portRange: this.#portRange,
          },
        ],
        enableUdp: true,
        enableTcp: false,
        ...(options.initialAvailableOutgoingBitrate
          ? { initialAvailableOutgoingBitrate: options.initialAvailableOutgoingBitrate }
          : {}),
        appData: options.appData ?? {},
      }),
      routerClosed,
    );
    if (this.#r.closed) {
      transport.close();
      throw new AppError('CONFLICT', 'The router closed while the transport was created');
    }
    // Keep the seam's producer objects: the audio-level observer reports them, and each closes its consumers.
    const produce = transport.produce.bind(transport);
    transport.produce = async (o) => {
      const producer = await produce(o);
      this.#producers.set(producer.id, producer);
      producer.observer.on('close', () => this.#producers.delete(producer.id));
      return producer;
    };
    const consume = transport.consume.bind(transport);
    transport.consume = async (o) => {
      const consumer = await consume(o);
      this.#producers.get(consumer.producerId)?.addConsumer(consumer);
      return consumer;
    };
    return transport;
  }

  async createAudioLevelObserver(options: AudioLevelObserverOptions = {}): Promise<AudioLevelObserver> {
    this.#refuseIfClosed();
    return new MediasoupAudioLevelObserver(await this.#r.createAudioLevelObserver(options), (id) =>
      this.#producers.get(id),
    );
  }

  canConsume(params: { producerId: string; rtpCapabilities: RtpCapabilities }) {
    return this.#r.canConsume(params);
  }

  close() {
    this.#r.close();
  }
}
