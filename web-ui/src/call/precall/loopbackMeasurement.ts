import type { PrecallMeasurement, PrecallReachability } from './precallMeasurement.js';

/** Counters read from the browser's `getStats` at one moment of a loopback through the SFU. */
export interface LoopbackSample {
  /** `performance.now()` when read, in ms. */
  atMs: number;
  /** Test media sent to the SFU (`outbound-rtp` `bytesSent`). */
  bytesSent: number;
  /** The same media back from the SFU (`inbound-rtp`). */
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  /** The selected candidate pair's `currentRoundTripTime`, in ms; null before the first STUN answer. */
  rttMs: number | null;
}

/**
 * What a loopback's samples say about the link. The bitrates are taken over the second half of the run only:
 * the browser's sender starts low and probes upwards for a second or two, and that ramp is the sender's choice,
 * not a limit of the link. Loss is over the whole run; the round trip is the median of the samples that have one.
 */
export function loopbackMeasurement(
  reachability: Exclude<PrecallReachability, 'none'>,
  samples: readonly LoopbackSample[],
): PrecallMeasurement {
  const first = samples[0];
  const last = samples.at(-1);
  const middle = samples[Math.floor((samples.length - 1) / 2)];
  if (!first || !last || !middle || samples.length < 2) {
    return { reachability, uplinkKbps: null, downlinkKbps: null, rttMs: null, loss: null };
  }
  const kbps = (from: LoopbackSample, to: LoopbackSample, bytes: (s: LoopbackSample) => number) => {
    const ms = to.atMs - from.atMs;
    return ms > 0 ? (Math.max(0, bytes(to) - bytes(from)) * 8) / ms : null;
  };
  const lost = Math.max(0, last.packetsLost - first.packetsLost);
  const received = Math.max(0, last.packetsReceived - first.packetsReceived);
  const rtts = samples.map((s) => s.rttMs).filter((rtt): rtt is number => rtt !== null);
  return {
    reachability,
    uplinkKbps: kbps(middle === last ? first : middle, last, (s) => s.bytesSent),
    downlinkKbps: kbps(middle === last ? first : middle, last, (s) => s.bytesReceived),
    rttMs: median(rtts),
    loss: lost + received > 0 ? lost / (lost + received) : null,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[half] as number)
    : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}
