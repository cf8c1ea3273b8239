/** Decoded-frame counts of both sides of a call, read at one moment. */
export interface FramesSeen {
  at: number;
  clinicSees: number;
  specialistSees: number;
}

/** The longest time, in milliseconds, that `key`'s count went without rising over `samples`. */
export function longestStall(samples: readonly FramesSeen[], key: 'clinicSees' | 'specialistSees'): number {
  let worst = 0;
  let since = samples[0]?.at ?? 0;
  for (let i = 1; i < samples.length; i++) {
    const sample = samples[i]!;
    if (sample[key] > samples[i - 1]![key]) since = sample.at;
    else worst = Math.max(worst, sample.at - since);
  }
  return worst;
}
