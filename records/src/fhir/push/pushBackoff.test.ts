import { describe, expect, it } from 'vitest';
import { pushRetryDelay } from './pushBackoff.js';

describe('the push’s backoff', () => {
  const backoff = { baseMs: 5_000, maxMs: 60_000 };

  it('doubles per attempt, between half and all of it, and never passes the cap', () => {
    expect(pushRetryDelay(1, backoff, () => 0)).toBe(2_500);
    expect(pushRetryDelay(1, backoff, () => 1)).toBe(5_000);
    expect(pushRetryDelay(3, backoff, () => 0)).toBe(10_000);
    expect(pushRetryDelay(3, backoff, () => 1)).toBe(20_000);
    for (const attempts of [5, 10, 50, 1_000]) {
      expect(pushRetryDelay(attempts, backoff, () => 1)).toBe(60_000);
      expect(pushRetryDelay(attempts, backoff, () => 0)).toBe(30_000);
    }
  });

  it('spreads items that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => pushRetryDelay(4, backoff)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
