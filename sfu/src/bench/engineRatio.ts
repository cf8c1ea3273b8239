/** The goal for werift, as a fraction of mediasoup's forwarded packets per engine CPU-second (issue 23). */
export const WERIFT_RATIO_GOAL = 0.5;

/** One engine's figures at one load level (medians of its runs). */
export interface EngineFigures {
  /** Forwarded media packets received per second of engine CPU (all its threads and processes). */
  packetsPerCpuSecond: number;
  p99Ms: number;
}

export interface EngineRatio {
  /** werift's packets per CPU-second over mediasoup's: 1 is as efficient, 0.5 is half (the goal's floor). */
  packetsPerCpuSecond: number;
  /** werift's p99 over mediasoup's: above 1, werift's forwarded packets wait longer. */
  p99: number;
  /** The efficiency goal (≥ 0.5) is met: shown as information; a miss does not fail the bench. */
  meetsGoal: boolean;
}

/** werift over mediasoup at the same load. A ratio over a zero (nothing measured) is NaN, never Infinity. */
export function engineRatio(werift: EngineFigures, mediasoup: EngineFigures): EngineRatio {
  const over = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? a / b : Number.NaN);
  const packetsPerCpuSecond = over(werift.packetsPerCpuSecond, mediasoup.packetsPerCpuSecond);
  return {
    packetsPerCpuSecond,
    p99: over(werift.p99Ms, mediasoup.p99Ms),
    meetsGoal: packetsPerCpuSecond >= WERIFT_RATIO_GOAL,
  };
}
