import { describe, expect, it } from 'vitest';
import { cameraSimulcastEncodings } from '../CallMedia.js';
import { UplinkGuard, type UplinkVerdict } from './UplinkGuard.js';
import { uplinkPauseBelowKbps } from './uplinkBudget.js';

/*
 * The sender's own audio-only fallback on a clock the test gives, one reading a second. The real path (the
 * clinic on a 150 kb/s, 10% loss uplink in the network lab: video paused, audio on, back once the link is clean)
 * is `e2e/src/field/weakLinks.browser.test.ts`.
 */

/** Feeds one estimate a second from `fromS` to `toS` (seconds); returns the verdicts with their second. */
function feed(guard: UplinkGuard, fromS: number, toS: number, estimate: (s: number) => number | null) {
  const seen: Array<{ at: number; verdict: UplinkVerdict }> = [];
  for (let s = fromS; s <= toS; s++) {
    const verdict = guard.observe(estimate(s), s * 1_000);
    if (verdict) seen.push({ at: s, verdict });
  }
  return seen;
}

const guard = () => new UplinkGuard({ pauseBelowKbps: 120 });

describe('UplinkGuard', () => {
  it('needs about 120 kb/s for Opus and the lowest layer as the camera sends it (60 kb/s cap)', () => {
    expect(uplinkPauseBelowKbps(cameraSimulcastEncodings)).toBe(121);
  });

  it('never pauses on links that carry the lowest layer: 384 kb/s (an estimate near 300) or a dip of a few seconds', () => {
    expect(feed(guard(), 0, 120, () => 300)).toEqual([]);
    expect(feed(guard(), 0, 60, (s) => (s % 20 < 3 ? 90 : 300))).toEqual([]);
  });

  it('pauses once the estimate stays below the threshold for four seconds, and does not repeat itself', () => {
    const seen = feed(guard(), 0, 12, (s) => (s < 5 ? 300 : 100));
    expect(seen).toEqual([{ at: 9, verdict: 'pause' }]);
  });

  it('decides nothing while the browser has no estimate', () => {
    expect(feed(guard(), 0, 30, () => null)).toEqual([]);
  });

  it('tries video again after 8 s, then 16 s, then 30 s at most while the link stays weak', () => {
    const seen = feed(guard(), 0, 200, () => 100);
    expect(seen.slice(0, 9)).toEqual([
      { at: 4, verdict: 'pause' },
      { at: 12, verdict: 'resume' },
      // Four readings after the trial's start (the reading that resumed it was taken paused).
      { at: 17, verdict: 'pause' },
      { at: 33, verdict: 'resume' },
      { at: 38, verdict: 'pause' },
      { at: 68, verdict: 'resume' },
      { at: 73, verdict: 'pause' },
      { at: 103, verdict: 'resume' },
      { at: 108, verdict: 'pause' },
    ]);
  });

  it('stays on after a trial resume once the link has recovered', () => {
    const g = guard();
    // Weak until 20 s: paused at 4 s, the trial at 12 s fails (paused again at 17 s); clean from 20 s, but while
    // paused the estimate stays where audio alone leaves it, until the browser finds room at 32 s.
    const seen = feed(g, 0, 120, (s) => (s < 20 ? 100 : s < 32 ? 110 : 600));
    expect(seen).toEqual([
      { at: 4, verdict: 'pause' },
      { at: 12, verdict: 'resume' },
      { at: 17, verdict: 'pause' },
      { at: 32, verdict: 'resume' },
    ]);
    expect(g.paused).toBe(false);
  });

  it('resumes at once when the estimate rises well above the threshold while paused', () => {
    const seen = feed(guard(), 0, 20, (s) => (s < 6 ? 100 : 200));
    expect(seen).toEqual([
      { at: 4, verdict: 'pause' },
      { at: 6, verdict: 'resume' },
    ]);
  });

  it('forgets its back-off after 30 s of video following a resume', () => {
    // Weak at first (paused at 4 s, resumed at 10 s when the estimate rose), clean until 60 s, weak again: the
    // wait is 8 s again, not 16.
    const seen = feed(guard(), 0, 76, (s) => (s < 10 ? 100 : s < 60 ? 300 : 100));
    expect(seen).toEqual([
      { at: 4, verdict: 'pause' },
      { at: 10, verdict: 'resume' },
      { at: 64, verdict: 'pause' },
      { at: 72, verdict: 'resume' },
    ]);
  });

  it('starts again from nothing after a reset (the camera was turned off, or the transports made anew)', () => {
    const g = guard();
    feed(g, 0, 5, () => 100);
    expect(g.paused).toBe(true);
    g.reset();
    expect(g.paused).toBe(false);
    expect(feed(g, 6, 12, () => 100)).toEqual([{ at: 10, verdict: 'pause' }]);
  });
});
