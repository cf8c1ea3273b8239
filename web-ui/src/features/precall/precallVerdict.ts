import type { PrecallMeasurement } from '../../call/precall/precallMeasurement.js';

export type { PrecallMeasurement, PrecallReachability } from '../../call/precall/precallMeasurement.js';
/**
 * The pre-call network test's verdict (issue 22): from what a short loopback through the SFU measured, whether a
 * clinic can expect video, only audio, or nothing, and what to do about it. Pure, so the rule is tested apart from
 * the measuring.
 */

/**
 * Video needs the lowest useful simulcast layers with room to spare: ~300 kbps carries the middle layer
 * (640×360 at a low frame rate) that the specialist needs for a diagnostic picture, below ATA's 384 kbps minimum.
 */
export const VIDEO_MIN_KBPS = 300;
/** Below this even Opus at its lowest useful rate with FEC (~24-32 kbps) and signalling overhead struggles. */
export const AUDIO_MIN_KBPS = 40;
/** Above ~400 ms round trip, conversation turns awkward and the SFU's NACK retransmits arrive too late for video. */
export const VIDEO_MAX_RTT_MS = 400;
/** Above ~1 s, people talk over each other: an audio call is still possible but poor. */
export const AUDIO_MAX_RTT_MS = 1_000;
/** Video freezes often above 5% loss even with NACK/RTX; Opus FEC keeps speech intelligible up to ~15%. */
export const VIDEO_MAX_LOSS = 0.05;
export const AUDIO_MAX_LOSS = 0.15;

export type PrecallVerdictKind = 'good-for-video' | 'audio-only' | 'cannot-connect';

/** Why a verdict is not "good for video": each reason has its own advice message. */
export type PrecallReason =
  | 'unreachable'
  | 'low-uplink'
  | 'low-downlink'
  | 'high-rtt'
  | 'high-loss'
  | 'relayed';

export interface PrecallVerdict {
  kind: PrecallVerdictKind;
  /** What stopped the better verdict, worst first; `relayed` is a note only (the call works through TURN). */
  reasons: PrecallReason[];
}

/** The verdict for a measurement: every video threshold met, else every audio one, else cannot connect. */
export function precallVerdict(m: PrecallMeasurement): PrecallVerdict {
  if (m.reachability === 'none') return { kind: 'cannot-connect', reasons: ['unreachable'] };
  const note: PrecallReason[] = m.reachability === 'turn' ? ['relayed'] : [];
  const up = m.uplinkKbps ?? 0;
  const down = m.downlinkKbps ?? 0;
  // An unknown RTT or loss (no RTCP yet) counts as good: the bitrates already say whether media flowed.
  const rtt = m.rttMs ?? 0;
  const loss = m.loss ?? 0;

  const videoMisses: PrecallReason[] = [
    ...(up < VIDEO_MIN_KBPS ? (['low-uplink'] as const) : []),
    ...(down < VIDEO_MIN_KBPS ? (['low-downlink'] as const) : []),
    ...(rtt >= VIDEO_MAX_RTT_MS ? (['high-rtt'] as const) : []),
    ...(loss >= VIDEO_MAX_LOSS ? (['high-loss'] as const) : []),
  ];
  if (videoMisses.length === 0) return { kind: 'good-for-video', reasons: note };

  const audioFails =
    up < AUDIO_MIN_KBPS || down < AUDIO_MIN_KBPS || rtt >= AUDIO_MAX_RTT_MS || loss >= AUDIO_MAX_LOSS;
  if (audioFails) return { kind: 'cannot-connect', reasons: [...videoMisses, ...note] };
  return { kind: 'audio-only', reasons: [...videoMisses, ...note] };
}
