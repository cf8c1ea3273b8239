import type { ErrorCode, RtpParameters } from '@telemed/shared';
import type { ConsumerLayers, ConsumerScore } from '../../Consumer.js';
import type { ProducerScore } from '../../Producer.js';
import type { DtlsState, IceState } from '../../WebRtcTransport.js';

/** Main thread → engine thread: call `method` on the object with id `target` ('worker' for the worker). */
export interface ThreadCall {
  type: 'call';
  callId: number;
  target: string;
  method: string;
  args: unknown[];
}

/** Engine thread → main thread. */
export type ThreadMessage =
  | { type: 'ready' }
  | { type: 'result'; callId: number; value: unknown }
  | { type: 'error'; callId: number; code: ErrorCode | undefined; message: string }
  /** An event of an engine object; `args` have producers replaced by their ids. */
  | { type: 'event'; target: string; observer: boolean; name: string; args: unknown[] };

/** What the main thread mirrors of a producer. */
export interface ProducerSnapshot {
  id: string;
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
  type: 'simple' | 'simulcast';
  paused: boolean;
  score: ProducerScore[];
}

/** What the main thread mirrors of a consumer. */
export interface ConsumerSnapshot {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
  type: 'simple' | 'simulcast';
  paused: boolean;
  producerPaused: boolean;
  bandwidthPaused: boolean;
  score: ConsumerScore;
  preferredLayers: ConsumerLayers | undefined;
  currentLayers: ConsumerLayers | undefined;
}

/** What the main thread mirrors of a transport. */
export interface TransportSnapshot {
  id: string;
  iceParameters: import('@telemed/shared').IceParameters;
  iceCandidates: import('@telemed/shared').IceCandidate[];
  dtlsParameters: import('@telemed/shared').DtlsParameters;
  iceState: IceState;
  dtlsState: DtlsState;
}
