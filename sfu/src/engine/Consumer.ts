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

/**
 * The audio-only fallback: a video consumer paused (or resumed) by the SFU because the receiver's bandwidth
 * estimate leaves its video less than the lowest layer needs. Not a pause by a person: `paused` stays false.
 */
export interface ConsumerBandwidthPause {
  paused: boolean;
  /** Bits per second the receiver's estimate leaves this consumer's video (when the engine tells). */
  availableBitrate?: number;
  /** Bits per second the lowest layer needs (when the engine tells). */
  requiredBitrate?: number;
}

export type ConsumerEvents = {
  transportclose: [];
  producerclose: [];
  producerpause: [];
  producerresume: [];
  score: [ConsumerScore];
  /** The forwarded layers changed; null while nothing is forwarded. */
  layerschange: [ConsumerLayers | null];
  bandwidthpausechange: [ConsumerBandwidthPause];
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
  /** Video held back by the SFU for want of bandwidth (audio continues); resumes by itself on recovery. */
  readonly bandwidthPaused: boolean;
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
