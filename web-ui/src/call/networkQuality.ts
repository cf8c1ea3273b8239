import type { LinkSample } from './CallMedia.js';

/** What the call screen shows for each side's link. */
export const NetworkQuality = { unknown: 'unknown', good: 'good', fair: 'fair', poor: 'poor' } as const;
export type NetworkQuality = (typeof NetworkQuality)[keyof typeof NetworkQuality];

/** What is known of one side's link: the SFU's score (0-10) of its media, and the browser's own measurements. */
export interface LinkEvidence extends LinkSample {
  /** The lowest SFU score of this side's producers or consumers; null before the first sample. */
  sfuScore: number | null;
}

// Thresholds in the spirit of LiveKit's ConnectionQuality: a score of 10 is a perfect link, and video calls stay
// usable up to a few percent of loss and a few hundred milliseconds of round trip.
const poor = { score: 4, loss: 0.08, rttMs: 800 };
const good = { score: 7, loss: 0.02, rttMs: 300 };

/** The worst of the SFU's view and the browser's: a link is as good as its weakest measurement. */
export function networkQuality({ sfuScore, lossRatio, rttMs }: LinkEvidence): NetworkQuality {
  if (sfuScore === null && lossRatio === null && rttMs === null) return NetworkQuality.unknown;
  if (
    (sfuScore !== null && sfuScore < poor.score) ||
    (lossRatio !== null && lossRatio > poor.loss) ||
    (rttMs !== null && rttMs > poor.rttMs)
  ) {
    return NetworkQuality.poor;
  }
  if (
    (sfuScore !== null && sfuScore < good.score) ||
    (lossRatio !== null && lossRatio > good.loss) ||
    (rttMs !== null && rttMs > good.rttMs)
  ) {
    return NetworkQuality.fair;
  }
  return NetworkQuality.good;
}
