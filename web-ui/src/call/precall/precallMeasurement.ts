/* What the pre-call network test measures: the call client's output, which the verdict (a feature) reads. */

/** How the test transport reached the SFU. */
export type PrecallReachability = 'udp' | 'turn' | 'none';

export interface PrecallMeasurement {
  reachability: PrecallReachability;
  /** Bitrate the browser sent to the SFU and got back, in kbps; null when nothing could be measured. */
  uplinkKbps: number | null;
  downlinkKbps: number | null;
  rttMs: number | null;
  /** Lost packets, 0..1. */
  loss: number | null;
}
