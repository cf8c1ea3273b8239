import { randomUUID } from 'node:crypto';
import { AppError, type RtpCapabilities, type RtpCodecCapability } from '@telemed/shared';
import type { AudioLevelObserver, AudioLevelObserverOptions } from '../AudioLevelObserver.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Router, RouterEvents } from '../Router.js';
import type { WebRtcTransport, WebRtcTransportOptions } from '../WebRtcTransport.js';
import { findConsumerCodec, generateRouterRtpCapabilities } from './ortc.js';
import { defaultMediaCodecs } from './supportedRtpCapabilities.js';
import { WeriftAudioLevelObserver } from './WeriftAudioLevelObserver.js';
import type { WeriftProducer } from './WeriftProducer.js';
import type { WeriftRouterInternal } from './WeriftRouterInternal.js';
import { WeriftWebRtcTransport } from './WeriftWebRtcTransport.js';

export interface WeriftRouterHost {
  readonly portRange: [number, number];
  /** Serializes socket allocation: werift probes a port, closes it and binds it again. */
  allocate<T>(fn: () => Promise<T>): Promise<T>;
  routerClosed(router: WeriftRouter): void;
}

export class WeriftRouter extends EnhancedEventEmitter<RouterEvents> implements Router, WeriftRouterInternal {
  readonly id = randomUUID();
  readonly rtpCapabilities: RtpCapabilities;
  readonly appData: Record<string, unknown>;
  readonly transports = new Set<WeriftWebRtcTransport>();
  readonly #producers = new Map<string, WeriftProducer>();
  readonly #observers = new Set<WeriftAudioLevelObserver>();
  readonly #host: WeriftRouterHost;
  #closed = false;

  constructor(params: {
    host: WeriftRouterHost;
    mediaCodecs?: RtpCodecCapability[];
    appData?: Record<string, unknown>;
  }) {
    super();
    this.#host = params.host;
    this.rtpCapabilities = generateRouterRtpCapabilities(params.mediaCodecs ?? defaultMediaCodecs);
    this.appData = params.appData ?? {};
  }

  get closed(): boolean {
    return this.#closed;
  }

  async createWebRtcTransport(options: WebRtcTransportOptions): Promise<WebRtcTransport> {
    if (this.#closed) throw new AppError('CONFLICT', 'The router is closed');
    const transport = await this.#host.allocate(() =>
      WeriftWebRtcTransport.create({
        router: this,
        listenIp: options.listenIp,
        announcedIp: options.announcedIp,
        portRange: this.#host.portRange,
        initialAvailableOutgoingBitrate: options.initialAvailableOutgoingBitrate,
        minVideoBitrate: options.minVideoBitrate,
        appData: options.appData,
      }),
    );
    if (this.#closed) {
      transport.close();
      throw new AppError('CONFLICT', 'The router closed while the transport was created');
    }
    this.transports.add(transport);
    return transport;
  }

  async createAudioLevelObserver(options: AudioLevelObserverOptions = {}): Promise<AudioLevelObserver> {
    if (this.#closed) throw new AppError('CONFLICT', 'The router is closed');
    const observer = new WeriftAudioLevelObserver({
      ...options,
      getProducer: (id) => this.#producers.get(id),
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
    return findConsumerCodec(producer.mapping, rtpCapabilities) !== undefined;
  }

  getProducer(id: string): WeriftProducer | undefined {
    return this.#producers.get(id);
  }
  registerProducer(producer: WeriftProducer): void {
    this.#producers.set(producer.id, producer);
  }
  unregisterProducer(producer: WeriftProducer): void {
    this.#producers.delete(producer.id);
  }
  unregisterTransport(transport: WeriftWebRtcTransport): void {
    this.transports.delete(transport);
  }

  tick(nowMs: number): void {
    for (const transport of this.transports) transport.tick(nowMs);
    for (const observer of this.#observers) observer.tick(nowMs);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of [...this.transports]) transport.routerClosed();
    for (const observer of [...this.#observers]) observer.routerClosed();
    this.#host.routerClosed(this);
  }

  workerClosed(): void {
    if (this.#closed) return;
    this.close();
    this.safeEmit('workerclose');
  }
}
