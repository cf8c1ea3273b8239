/** When a video consumer goes audio-only for want of bandwidth, and when its video comes back. */
export interface VideoBandwidthGateOptions {
  /** Below this many bits per second for the consumer's video, even the lowest layer would stall: pause it. */
  minBitrateBps: number;
  /** Video resumes once the budget is this many times `minBitrateBps`... */
  resumeFactor: number;
  /** ...and has stayed so for this long, so that a link at the edge does not flap between the two. */
  resumeAfterMs: number;
}

export const defaultVideoBandwidthGateOptions: VideoBandwidthGateOptions = {
  minBitrateBps: 100_000,
  resumeFactor: 1.5,
  resumeAfterMs: 3_000,
};

export type VideoBandwidthDecision = 'pause' | 'resume' | undefined;

/**
 * The audio-only fallback's hysteresis for one consumer: it pauses at once when the receiver's estimate
 * leaves the video less than its lowest layer needs, and resumes only after the estimate has stayed well above
 * that need for a while (probing keeps it growing meanwhile).
 */
export class VideoBandwidthGate {
  readonly #options: VideoBandwidthGateOptions;
  #paused = false;
  #recoveringSinceMs: number | undefined;

  constructor(options: VideoBandwidthGateOptions = defaultVideoBandwidthGateOptions) {
    this.#options = options;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get minBitrateBps(): number {
    return this.#options.minBitrateBps;
  }

  /** The budget video must keep to come back. */
  get resumeBitrateBps(): number {
    return this.#options.minBitrateBps * this.#options.resumeFactor;
  }

  update(budgetBps: number, nowMs: number): VideoBandwidthDecision {
    if (!this.#paused) {
      if (budgetBps >= this.#options.minBitrateBps) return undefined;
      this.#paused = true;
      this.#recoveringSinceMs = undefined;
      return 'pause';
    }
    if (budgetBps < this.resumeBitrateBps) {
      this.#recoveringSinceMs = undefined;
      return undefined;
    }
    this.#recoveringSinceMs ??= nowMs;
    if (nowMs - this.#recoveringSinceMs < this.#options.resumeAfterMs) return undefined;
    this.#paused = false;
    this.#recoveringSinceMs = undefined;
    return 'resume';
  }

  /** The consumer or its producer was paused by a person: bandwidth no longer decides until it resumes. */
  reset(): void {
    this.#paused = false;
    this.#recoveringSinceMs = undefined;
  }
}
