/** How the push waits between attempts at one item. */
export interface PushBackoff {
  /** The wait after the first failure; doubled after each further one. */
  baseMs: number;
  /** Never longer than this. */
  maxMs: number;
}

export const defaultPushBackoff: PushBackoff = { baseMs: 5_000, maxMs: 15 * 60_000 };

/**
 * The wait before attempt `attempts + 1`: exponential, capped, with "equal jitter" (half fixed, half random)
 * so that items that failed together, when the server went down, do not all come back at the same moment.
 */
export function pushRetryDelay(
  attempts: number,
  { baseMs, maxMs }: PushBackoff,
  random = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
