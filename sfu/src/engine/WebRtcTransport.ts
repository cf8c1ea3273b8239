import type {
  DtlsParameters,
  IceCandidate,
  IceParameters,
  RtpCapabilities,
  RtpParameters,
} from '@telemed/shared';
import type { Consumer, ConsumerLayers } from './Consumer.js';
import type { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import type { Producer } from './Producer.js';

export interface WebRtcTransportOptions {
  listenIp: string;
  /** The address written into ICE candidates, for an SFU behind NAT; the listen address when omitted. */
  announcedIp?: string;
  /** Start value of the outgoing bandwidth estimate before the receiver's feedback arrives. */
  initialAvailableOutgoingBitrate?: number;
  /**
   * The audio-only fallback: a video consumer whose share of the receiver's estimate falls below this many bits
   * per second is paused for bandwidth (audio continues), and resumes at 1.5× this held for 3 s. 100 kb/s by
   * default. The werift engines only: mediasoup pauses when its lowest layer no longer fits, by its own measure.
   */
  minVideoBitrate?: number;
  appData?: Record<string, unknown>;
}

export type IceState = 'new' | 'connected' | 'completed' | 'disconnected' | 'closed';
export type DtlsState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

export interface ProduceOptions {
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
  paused?: boolean;
  appData?: Record<string, unknown>;
}

export interface ConsumeOptions {
  producerId: string;
  rtpCapabilities: RtpCapabilities;
  /** Consumers start paused (as mediasoup recommends) unless this is false; resume once the client is ready. */
  paused?: boolean;
  preferredLayers?: ConsumerLayers;
  appData?: Record<string, unknown>;
}

export interface TransportStats {
  type: 'webrtc-transport';
  transportId: string;
  timestamp: number;
  iceState: IceState;
  dtlsState: DtlsState;
  bytesReceived: number;
  bytesSent: number;
  recvBitrate: number;
  sendBitrate: number;
  availableOutgoingBitrate?: number;
  /** Where the transport sends: the remote end of the pair the browser nominated last (mediasoup's name). */
  iceSelectedTuple?: { remoteIp: string; remotePort: number; protocol: string };
}

export type WebRtcTransportEvents = {
  icestatechange: [IceState];
  dtlsstatechange: [DtlsState];
  routerclose: [];
  listenererror: [string, unknown];
};

export interface WebRtcTransport extends EnhancedEventEmitter<WebRtcTransportEvents> {
  readonly id: string;
  readonly closed: boolean;
  readonly iceParameters: IceParameters;
  readonly iceCandidates: IceCandidate[];
  readonly dtlsParameters: DtlsParameters;
  readonly iceState: IceState;
  readonly dtlsState: DtlsState;
  readonly appData: Record<string, unknown>;
  connect(params: { dtlsParameters: DtlsParameters }): Promise<void>;
  restartIce(): Promise<IceParameters>;
  setMaxIncomingBitrate(bitrate: number): Promise<void>;
  produce(options: ProduceOptions): Promise<Producer>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  getStats(): Promise<TransportStats[]>;
  close(): void;
}
