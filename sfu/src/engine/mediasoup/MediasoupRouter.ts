import type { RtpCapabilities } from '@telemed/shared';
import type { AudioLevelObserver, AudioLevelObserverOptions } from '../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Producer } from '../Producer.js';
import type { Router, RouterEvents } from '../Router.js';
import type { WebRtcTransport, WebRtcTransportOptions } from '../WebRtcTransport.js';
import { MediasoupAudioLevelObserver } from './MediasoupAudioLevelObserver.js';
import { MediasoupWebRtcTransport } from './MediasoupWebRtcTransport.js';
import type { MsRouter } from './mediasoupTypes.js';

export class MediasoupRouter extends EnhancedEventEmitter<RouterEvents> implements Router {
  readonly #r: MsRouter;
  readonly #portRange: { min: number; max: number };
  readonly #producers = new Map<string, Producer>();

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

  async createWebRtcTransport(options: WebRtcTransportOptions): Promise<WebRtcTransport> {
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
    );
    // Keep the seam's producer objects so the audio-level observer can report them.
    const produce = transport.produce.bind(transport);
    transport.produce = async (o) => {
      const producer = await produce(o);
      this.#producers.set(producer.id, producer);
      producer.observer.on('close', () => this.#producers.delete(producer.id));
      return producer;
    };
    return transport;
  }

  async createAudioLevelObserver(options: AudioLevelObserverOptions = {}): Promise<AudioLevelObserver> {
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
