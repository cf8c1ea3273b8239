import type { MediaKind, RtpParameters } from '@telemed/shared';
import type { EnhancedEventEmitter } from './EnhancedEventEmitter.js';

export interface ProducerScore {
  ssrc: number;
  rid?: string;
  /** 10 is perfect, 0 is unusable (mediasoup's scale). */
  score: number;
}

export interface ProducerStat {
  type: 'inbound-rtp';
  timestamp: number;
  ssrc: number;
  rtxSsrc?: number;
  rid?: string;
  kind: MediaKind;
  mimeType: string;
  packetCount: number;
  byteCount: number;
  packetsLost: number;
  fractionLost: number;
  jitter: number;
  bitrate: number;
  nackCount: number;
  pliCount: number;
  firCount: number;
  score: number;
}

export type ProducerEvents = {
  transportclose: [];
  score: [ProducerScore[]];
  listenererror: [string, unknown];
};

export type ProducerObserverEvents = {
  close: [];
  pause: [];
  resume: [];
};

export interface Producer extends EnhancedEventEmitter<ProducerEvents> {
  readonly id: string;
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast';
  readonly paused: boolean;
  readonly closed: boolean;
  readonly score: ProducerScore[];
  readonly appData: Record<string, unknown>;
  readonly observer: EnhancedEventEmitter<ProducerObserverEvents>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  getStats(): Promise<ProducerStat[]>;
  /** Closes its consumers too: each is closed, with `producerclose`, before this returns (every engine). */
  close(): void;
}
