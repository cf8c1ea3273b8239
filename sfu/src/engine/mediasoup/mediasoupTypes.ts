/**
 * The part of mediasoup's public API (v3.27, node/src/types.ts) this adapter uses, mirrored member
 * for member. mediasoup is an optional dependency whose install fails where its worker cannot be
 * fetched or built, so its own .d.ts files are not always present to compile against; these
 * declarations stand in for them and the module is imported dynamically.
 */
import type {
  DtlsParameters,
  IceCandidate,
  IceParameters,
  RtpCapabilities,
  RtpCodecCapability,
  RtpParameters,
} from '@telemed/shared';

export interface MsEventEmitter {
  on(event: string, listener: (...args: never[]) => void): this;
  once(event: string, listener: (...args: never[]) => void): this;
  off(event: string, listener: (...args: never[]) => void): this;
}

export interface MsWorkerSettings {
  logLevel?: 'debug' | 'warn' | 'error' | 'none';
  rtcMinPort?: number;
  rtcMaxPort?: number;
  appData?: Record<string, unknown>;
}

export interface MsWorkerResourceUsage {
  ru_utime: number;
  ru_stime: number;
  ru_maxrss: number;
}

export interface MsWorker extends MsEventEmitter {
  readonly pid: number;
  readonly closed: boolean;
  readonly died: boolean;
  createRouter(options: {
    mediaCodecs?: RtpCodecCapability[];
    appData?: Record<string, unknown>;
  }): Promise<MsRouter>;
  getResourceUsage(): Promise<MsWorkerResourceUsage>;
  close(): void;
}

export interface MsTransportListenInfo {
  protocol: 'udp' | 'tcp';
  ip: string;
  announcedAddress?: string;
  portRange?: { min: number; max: number };
}

export interface MsRouter extends MsEventEmitter {
  readonly id: string;
  readonly closed: boolean;
  readonly rtpCapabilities: RtpCapabilities;
  readonly appData: Record<string, unknown>;
  createWebRtcTransport(options: {
    listenInfos: MsTransportListenInfo[];
    enableUdp?: boolean;
    enableTcp?: boolean;
    preferUdp?: boolean;
    initialAvailableOutgoingBitrate?: number;
    appData?: Record<string, unknown>;
  }): Promise<MsWebRtcTransport>;
  createAudioLevelObserver(options?: {
    maxEntries?: number;
    threshold?: number;
    interval?: number;
  }): Promise<MsAudioLevelObserver>;
  canConsume(params: { producerId: string; rtpCapabilities: RtpCapabilities }): boolean;
  close(): void;
}

export interface MsWebRtcTransport extends MsEventEmitter {
  readonly id: string;
  readonly closed: boolean;
  readonly iceParameters: IceParameters;
  readonly iceCandidates: (Omit<IceCandidate, 'ip'> & { ip?: string })[];
  readonly dtlsParameters: DtlsParameters;
  readonly iceState: 'new' | 'connected' | 'completed' | 'disconnected' | 'closed';
  readonly dtlsState: 'new' | 'connecting' | 'connected' | 'failed' | 'closed';
  readonly appData: Record<string, unknown>;
  connect(params: { dtlsParameters: DtlsParameters }): Promise<void>;
  restartIce(): Promise<IceParameters>;
  setMaxIncomingBitrate(bitrate: number): Promise<void>;
  produce(options: {
    kind: 'audio' | 'video';
    rtpParameters: RtpParameters;
    paused?: boolean;
    appData?: Record<string, unknown>;
  }): Promise<MsProducer>;
  consume(options: {
    producerId: string;
    rtpCapabilities: RtpCapabilities;
    paused?: boolean;
    preferredLayers?: { spatialLayer: number; temporalLayer?: number };
    appData?: Record<string, unknown>;
  }): Promise<MsConsumer>;
  getStats(): Promise<Record<string, unknown>[]>;
  close(): void;
}

export interface MsProducer extends MsEventEmitter {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast' | 'svc';
  readonly paused: boolean;
  readonly closed: boolean;
  readonly score: { ssrc: number; rid?: string; score: number }[];
  readonly appData: Record<string, unknown>;
  readonly observer: MsEventEmitter;
  pause(): Promise<void>;
  resume(): Promise<void>;
  getStats(): Promise<Record<string, unknown>[]>;
  close(): void;
}

export interface MsConsumer extends MsEventEmitter {
  readonly id: string;
  readonly producerId: string;
  readonly kind: 'audio' | 'video';
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast' | 'svc' | 'pipe';
  readonly paused: boolean;
  readonly producerPaused: boolean;
  readonly closed: boolean;
  readonly score: { score: number; producerScore: number; producerScores: number[] };
  readonly preferredLayers?: { spatialLayer: number; temporalLayer?: number };
  readonly currentLayers?: { spatialLayer: number; temporalLayer?: number };
  readonly appData: Record<string, unknown>;
  readonly observer: MsEventEmitter;
  pause(): Promise<void>;
  resume(): Promise<void>;
  setPreferredLayers(layers: { spatialLayer: number; temporalLayer?: number }): Promise<void>;
  requestKeyFrame(): Promise<void>;
  getStats(): Promise<Record<string, unknown>[]>;
  close(): void;
}

export interface MsAudioLevelObserver extends MsEventEmitter {
  readonly id: string;
  readonly closed: boolean;
  addProducer(params: { producerId: string }): Promise<void>;
  removeProducer(params: { producerId: string }): Promise<void>;
  close(): void;
}

export interface MsModule {
  readonly version: string;
  /** Present in mediasoup ≥ 3.12: the worker binary it will spawn. */
  readonly workerBin?: string;
  createWorker(settings?: MsWorkerSettings): Promise<MsWorker>;
}
