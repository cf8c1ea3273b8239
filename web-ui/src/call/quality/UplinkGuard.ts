/** What to do with the camera after a reading: pause it, resume it, or nothing (null). */
export type UplinkVerdict = 'pause' | 'resume' | null;

export interface UplinkGuardOptions {
  /** Below this estimate the camera cannot be sent beside the audio (`uplinkPauseBelowKbps`). */
  pauseBelowKbps: number;
  /**
   * While paused, an estimate at or above this resumes at once (the browser probed and found room); 1.5 times
   * `pauseBelowKbps` by default, so that an estimate wavering around the threshold does not flap.
   */
  resumeAtKbps?: number;
  /** How long the estimate must stay low before video pauses: a dip of a second or two is no weak link. */
  pauseAfterMs?: number;
  /** The first trial resume comes this long after a pause; doubled after each relapse, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Video that stays on this long after a resume was no relapse: the back-off starts again from `backoffMs`. */
  healthyMs?: number;
}

/**
 * The audio-only fallback on our own uplink, decided where the uplink is measured, by the sender: the SFU pauses
 * video per viewer from each viewer's downlink, but nothing there can help when the sender's uplink itself is
 * too weak. Chromium then keeps sending the lowest simulcast layer,
 * which on a lossy 150 kb/s link crowds out the audio. This guard reads the send transport's estimate every
 * second and says `pause` once it has stayed below what audio plus the lowest layer need for `pauseAfterMs`.
 *
 * Resuming cannot wait for the estimate alone: with video paused the link carries audio only, the browser is
 * application-limited and its estimate barely moves. So a paused camera is tried again after a back-off (8 s,
 * 16 s, 30 s at most): video resumes, the browser probes with it, and if the estimate stays low for
 * `pauseAfterMs` the video pauses again with a longer wait; a resume that holds for `healthyMs` resets the
 * back-off. An estimate that does rise while paused (the browser's own probes) resumes at once.
 */
export class UplinkGuard {
  readonly #pauseBelowKbps: number;
  readonly #resumeAtKbps: number;
  readonly #pauseAfterMs: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #healthyMs: number;
  #paused = false;
  /** When the estimate went below the threshold (undefined: it is not below). */
  #lowSince: number | undefined;
  #backoff: number;
  #pausedAt = 0;
  #resumedAt: number | undefined;

  constructor(options: UplinkGuardOptions) {
    this.#pauseBelowKbps = options.pauseBelowKbps;
    this.#resumeAtKbps = options.resumeAtKbps ?? options.pauseBelowKbps * 1.5;
    this.#pauseAfterMs = options.pauseAfterMs ?? 4_000;
    this.#backoffMs = options.backoffMs ?? 8_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#healthyMs = options.healthyMs ?? 30_000;
    this.#backoff = this.#backoffMs;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** The transports were replaced, or the camera is off: start again from nothing (video on, no back-off). */
  reset(): void {
    this.#paused = false;
    this.#lowSince = undefined;
    this.#backoff = this.#backoffMs;
    this.#resumedAt = undefined;
  }

  /** `estimateKbps`: the send transport's estimate now, or null when the browser has none (nothing decided). */
  observe(estimateKbps: number | null, nowMs: number): UplinkVerdict {
    if (estimateKbps === null) return null;
    if (this.#paused) {
      if (estimateKbps >= this.#resumeAtKbps || nowMs - this.#pausedAt >= this.#backoff) {
        this.#paused = false;
        this.#resumedAt = nowMs;
        // The trial's estimate is judged from the resume on, not from the low readings that paused it.
        this.#lowSince = undefined;
        return 'resume';
      }
      return null;
    }
    if (this.#resumedAt !== undefined && nowMs - this.#resumedAt >= this.#healthyMs) {
      this.#backoff = this.#backoffMs;
      this.#resumedAt = undefined;
    }
    if (estimateKbps >= this.#pauseBelowKbps) {
      this.#lowSince = undefined;
      return null;
    }
    this.#lowSince ??= nowMs;
    if (nowMs - this.#lowSince < this.#pauseAfterMs) return null;
    // A relapse soon after a resume waits longer before the next try.
    if (this.#resumedAt !== undefined) this.#backoff = Math.min(this.#backoff * 2, this.#maxBackoffMs);
    this.#paused = true;
    this.#pausedAt = nowMs;
    this.#lowSince = undefined;
    return 'pause';
  }
}
