import type { RtpCapabilities, RtpCodecCapability } from '@telemed/shared';
import type { AudioLevelObserver, AudioLevelObserverOptions } from './AudioLevelObserver.js';
import type { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import type { WebRtcTransport, WebRtcTransportOptions } from './WebRtcTransport.js';

export interface RouterOptions {
  /** Codecs the router offers; the engine's defaults (opus, VP8, H264) when omitted. */
  mediaCodecs?: RtpCodecCapability[];
  appData?: Record<string, unknown>;
}

export type RouterEvents = {
  /** The worker died or closed. */
  workerclose: [];
  listenererror: [string, unknown];
};

export interface Router extends EnhancedEventEmitter<RouterEvents> {
  readonly id: string;
  readonly closed: boolean;
  readonly rtpCapabilities: RtpCapabilities;
  readonly appData: Record<string, unknown>;
  createWebRtcTransport(options: WebRtcTransportOptions): Promise<WebRtcTransport>;
  createAudioLevelObserver(options?: AudioLevelObserverOptions): Promise<AudioLevelObserver>;
  /** Whether a consumer with these capabilities can receive the producer. */
  canConsume(params: { producerId: string; rtpCapabilities: RtpCapabilities }): boolean;
  close(): void;
}
