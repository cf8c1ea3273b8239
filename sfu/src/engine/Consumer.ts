import type { MediaKind, RtpParameters } from '@telemed/shared';
import type { EnhancedEventEmitter } from './EnhancedEventEmitter.js';

export interface ConsumerLayers {
  spatialLayer: number;
  temporalLayer?: number;
}

export interface ConsumerScore {
  score: number;
  producerScore: number;
  producerScores: number[];
}

export interface ConsumerStat {
  type: 'outbound-rtp';
  timestamp: number;
  ssrc: number;
  rtxSsrc?: number;
  kind: MediaKind;
  mimeType: string;
  packetCount: number;
  byteCount: number;
  retransmittedPackets: number;
  nackCount: number;
  pliCount: number;
  firCount: number;
  fractionLost: number;
  roundTripTime?: number;
  score: number;
}

export type ConsumerEvents = {
  transportclose: [];
  producerclose: [];
  producerpause: [];
  producerresume: [];
  score: [ConsumerScore];
  /** The forwarded layers changed; null while nothing is forwarded. */
  layerschange: [ConsumerLayers | null];
  listenererror: [string, unknown];
};

export type ConsumerObserverEvents = {
  close: [];
  pause: [];
  resume: [];
};

export interface Consumer extends EnhancedEventEmitter<ConsumerEvents> {
  readonly id: string;
  readonly producerId: string;
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast';
  /** Paused by the consumer side (pause()/resume()). */
  readonly paused: boolean;
  readonly producerPaused: boolean;
  readonly closed: boolean;
  readonly score: ConsumerScore;
  readonly preferredLayers: ConsumerLayers | undefined;
  readonly currentLayers: ConsumerLayers | undefined;
  readonly appData: Record<string, unknown>;
  readonly observer: EnhancedEventEmitter<ConsumerObserverEvents>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  setPreferredLayers(layers: ConsumerLayers): Promise<void>;
  requestKeyFrame(): Promise<void>;
  getStats(): Promise<ConsumerStat[]>;
  close(): void;
}
