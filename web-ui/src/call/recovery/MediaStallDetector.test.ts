import { describe, expect, it } from 'vitest';
import { MediaStallDetector, type StallVerdict } from './MediaStallDetector.js';

/*
 * The stall rules on a clock the test gives. The real path (an address switch in the network lab, found by this
 * detector long before ICE says `disconnected`) is `e2e/src/field/weakLinks.browser.test.ts`.
 */

/** Feeds one reading every 500 ms from `fromMs` to `toMs`; `bytes(t)` gives each transport's counter then. */
function feed(
  detector: MediaStallDetector,
  fromMs: number,
  toMs: number,
  bytes: (t: number) => { send: number; recv: number },
  expecting = { send: true, recv: true },
): Array<{ at: number; verdict: StallVerdict }> {
  const seen: Array<{ at: number; verdict: StallVerdict }> = [];
  for (let t = fromMs; t <= toMs; t += 500) {
    const now = bytes(t);
    const verdict = detector.observe(
      [
        { transportId: 'send', bytesReceived: now.send, expecting: expecting.send },
        { transportId: 'recv', bytesReceived: now.recv, expecting: expecting.recv },
      ],
      t,
    );
    if (verdict !== 'ok') seen.push({ at: t, verdict });
  }
  return seen;
}

const flowing = (t: number) => ({ send: t, recv: 2 * t });
/** Traffic until `deadAt`, nothing after. */
const deadFrom = (deadAt: number) => (t: number) => flowing(Math.min(t, deadAt));

describe('MediaStallDetector', () => {
  it('says nothing while traffic flows', () => {
    expect(feed(new MediaStallDetector(), 0, 60_000, flowing)).toEqual([]);
  });

  it('suspects within a second without a byte on every transport, and calls a stall after two', () => {
    const seen = feed(new MediaStallDetector(), 0, 13_000, deadFrom(10_000));
    expect(seen.slice(0, 2)).toEqual([
      { at: 11_000, verdict: 'suspect' },
      { at: 12_000, verdict: 'stalled' },
    ]);
  });

  it('is no stall while one transport still hears from the SFU (the other side went quiet, not the path)', () => {
    const recvQuiet = (t: number) => ({ send: t, recv: Math.min(t, 10_000) });
    expect(feed(new MediaStallDetector(), 0, 30_000, recvQuiet)).toEqual([]);
  });

  it('ignores a transport that has nothing to expect, and starts its clock only once it has', () => {
    const detector = new MediaStallDetector();
    // Camera off and microphone muted: the send transport hears nothing and that is fine.
    const sendSilent = (t: number) => ({ send: 0, recv: t });
    expect(feed(detector, 0, 10_000, sendSilent, { send: false, recv: true })).toEqual([]);
    // From 10.5 s the camera is on but nothing comes back, and there is nothing to receive: its quiet counts
    // from its last reading with nothing to expect (10 s), not from the start of the call.
    const seen = feed(detector, 10_500, 12_000, sendSilent, { send: true, recv: false });
    expect(seen).toEqual([
      { at: 11_000, verdict: 'suspect' },
      { at: 12_000, verdict: 'stalled' },
    ]);
  });

  it('expects nothing of a call with no transport to hear from', () => {
    const detector = new MediaStallDetector();
    expect(feed(detector, 0, 20_000, () => ({ send: 0, recv: 0 }), { send: false, recv: false })).toEqual([]);
  });

  it('backs off between stalls of a link that stays dead (4 s, 8 s, 16 s, then 30 s at most)', () => {
    const stalls = feed(new MediaStallDetector(), 0, 120_000, deadFrom(1_000))
      .filter((s) => s.verdict === 'stalled')
      .map((s) => s.at);
    expect(stalls.slice(0, 6)).toEqual([3_000, 7_000, 15_000, 31_000, 61_000, 91_000]);
  });

  it('suspects once per quiet spell, not at every reading', () => {
    const seen = feed(new MediaStallDetector({ stallMs: 60_000 }), 0, 20_000, deadFrom(1_000));
    expect(seen).toEqual([{ at: 2_000, verdict: 'suspect' }]);
  });

  it('forgets its back-off after ten seconds of traffic following a stall', () => {
    const detector = new MediaStallDetector();
    // Dead at 1 s (stall at 3 s), back at 5 s, dead again at 20 s: stalled 2 s later, not after a doubled wait.
    const bytes = (t: number) => flowing(t < 1_000 ? t : t < 5_000 ? 1_000 : t < 20_000 ? t : 20_000);
    const stalls = feed(detector, 0, 30_000, bytes)
      .filter((s) => s.verdict === 'stalled')
      .map((s) => s.at);
    expect(stalls.slice(0, 2)).toEqual([3_000, 22_000]);
  });

  it('starts again from nothing when the transports are replaced', () => {
    const detector = new MediaStallDetector();
    feed(detector, 0, 5_000, flowing);
    detector.forget();
    // The new transports' counters start low; that is traffic, not a rewind.
    expect(feed(detector, 5_500, 15_000, (t) => flowing(t - 5_500))).toEqual([]);
  });
});
