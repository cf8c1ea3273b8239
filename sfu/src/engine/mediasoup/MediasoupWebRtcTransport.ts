import type { DtlsParameters, IceCandidate } from '@telemed/shared';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type {
  ConsumeOptions,
  DtlsState,
  IceState,
  ProduceOptions,
  TransportStats,
  WebRtcTransport,
  WebRtcTransportEvents,
} from '../WebRtcTransport.js';
import { MediasoupConsumer } from './MediasoupConsumer.js';
import { MediasoupProducer } from './MediasoupProducer.js';
import type { MsWebRtcTransport } from './mediasoupTypes.js';

export class MediasoupWebRtcTransport
  extends EnhancedEventEmitter<WebRtcTransportEvents>
  implements WebRtcTransport
{
  readonly #t: MsWebRtcTransport;
  readonly #routerClosed: () => boolean;

  constructor(transport: MsWebRtcTransport, routerClosed: () => boolean) {
    super();
    this.#t = transport;
    this.#routerClosed = routerClosed;
    transport.on('icestatechange', (state: IceState) => this.safeEmit('icestatechange', state));
    transport.on('dtlsstatechange', (state: DtlsState) => {
      this.safeEmit('dtlsstatechange', state);
      // mediasoup leaves a failed transport open; the seam promises it closes.
      if (state === 'failed' || state === 'closed') transport.close();
    });
    transport.on('routerclose', () => this.safeEmit('routerclose'));
  }

  get id() {
    return this.#t.id;
  }
  get closed() {
    return this.#t.closed;
  }
  get iceParameters() {
    return this.#t.iceParameters;
  }
  get iceCandidates(): IceCandidate[] {
    return this.#t.iceCandidates.map((c) => ({ ...c, ip: c.ip ?? c.address, address: c.address }));
  }
  get dtlsParameters() {
    return this.#t.dtlsParameters;
  }
  get iceState() {
    return this.#t.iceState;
  }
  get dtlsState() {
    return this.#t.dtlsState;
  }
  get appData() {
    return this.#t.appData;
  }
  connect(params: { dtlsParameters: DtlsParameters }) {
    return this.#t.connect(params);
  }
  restartIce() {
    return this.#t.restartIce();
  }
  setMaxIncomingBitrate(bitrate: number) {
    return this.#t.setMaxIncomingBitrate(bitrate);
  }
  async produce(options: ProduceOptions): Promise<MediasoupProducer> {
    return new MediasoupProducer(await this.#t.produce(options), this.#routerClosed);
  }
  /** mediasoup's consume() is unpaused unless told; the seam's consumers start paused for audio and video alike. */
  async consume(options: ConsumeOptions): Promise<MediasoupConsumer> {
    return new MediasoupConsumer(await this.#t.consume({ ...options, paused: options.paused ?? true }));
  }
  async getStats(): Promise<TransportStats[]> {
    const [s] = await this.#t.getStats();
    return [
      {
        type: 'webrtc-transport',
        transportId: this.id,
        timestamp: Number(s?.timestamp ?? Date.now()),
        iceState: this.iceState,
        dtlsState: this.dtlsState,
        bytesReceived: Number(s?.bytesReceived ?? 0),
        bytesSent: Number(s?.bytesSent ?? 0),
        recvBitrate: Number(s?.recvBitrate ?? 0),
        sendBitrate: Number(s?.sendBitrate ?? 0),
        ...selectedTuple(s?.iceSelectedTuple),
        ...(s?.availableOutgoingBitrate !== undefined
          ? { availableOutgoingBitrate: Number(s.availableOutgoingBitrate) }
          : {}),
      },
    ];
  }
  close() {
    this.#t.close();
  }
}

/** mediasoup's `iceSelectedTuple` (absent before ICE connects), in the seam's shape. */
function selectedTuple(tuple: unknown): Pick<TransportStats, 'iceSelectedTuple'> {
  const t = tuple as { remoteIp?: string; remotePort?: number; protocol?: string } | undefined;
  if (t?.remoteIp === undefined) return {};
  return {
    iceSelectedTuple: {
      remoteIp: t.remoteIp,
      remotePort: Number(t.remotePort),
      protocol: String(t.protocol),
    },
  };
}
