/** One transport's traffic at one sampling: what its ICE transport received so far (`getStats`, type `transport`). */
export interface TransportTraffic {
  transportId: string;
  /** Bytes received over the transport so far (media, RTCP, STUN): only its growth matters. */
  bytesReceived: number;
  /**
   * Whether the SFU should be sending on it now: a receive transport with consumers (RTP, sender reports), a send
   * transport with an unpaused producer (RTCP feedback: receiver reports, transport-wide congestion control).
   */
  expecting: boolean;
}

/**
 * `ok`; `suspect` once every transport that should hear from the SFU has heard nothing for `suspectMs` (worth
 * checking the signaling link now, so that the check is over when the stall is confirmed; once per quiet spell); `stalled` after
 * `stallMs`, when recovery should start (once per stall, then not again before the back-off has passed).
 */
export type StallVerdict = 'ok' | 'suspect' | 'stalled';

export interface MediaStallDetectorOptions {
  suspectMs?: number;
  stallMs?: number;
  /** After a `stalled`, the next one waits at least this long; doubled after each, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Traffic on every transport for this long after a `stalled` resets the back-off. */
  healthyMs?: number;
}

interface Seen {
  bytes: number;
  /** When its bytes last grew (or it last had nothing to expect). */
  changedAt: number;
}

/**
 * Notices a dead media path from the traffic the browser counts, long before ICE does: Chromium calls a path
 * `disconnected` only after about five seconds without answers to its consent checks, and a laptop whose address
 * changed (or whose network is gone) fires no browser event at all. A healthy path carries dozens of packets a
 * second, even on a weak link (10% random loss, audio only at 150 kb/s), so two seconds with nothing from the SFU
 * on every transport that should hear from it is a lost path. Restarts back off (4 s, 8 s … 30 s) so that a link
 * that keeps dying does not cause a storm; the caller never restarts while a recovery is under way either.
 */
export class MediaStallDetector {
  readonly #suspectMs: number;
  readonly #stallMs: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #healthyMs: number;
  readonly #seen = new Map<string, Seen>();
  #backoff: number;
  #lastStallAt: number | undefined;
  /** `suspect` was answered in this quiet spell already. */
  #suspected = false;

  constructor(options: MediaStallDetectorOptions = {}) {
    this.#suspectMs = options.suspectMs ?? 750;
    this.#stallMs = options.stallMs ?? 2_000;
    this.#backoffMs = options.backoffMs ?? 4_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#healthyMs = options.healthyMs ?? 10_000;
    this.#backoff = this.#backoffMs;
  }

  /** The transports were replaced: their counters start again from zero. */
  forget(): void {
    this.#seen.clear();
  }

  observe(traffic: readonly TransportTraffic[], nowMs: number): StallVerdict {
    const quietFor: number[] = [];
    for (const { transportId, bytesReceived, expecting } of traffic) {
      const seen = this.#seen.get(transportId);
      if (!seen || !expecting || bytesReceived !== seen.bytes) {
        // Nothing to expect is never a stall, and the clock starts only once something is.
        this.#seen.set(transportId, { bytes: bytesReceived, changedAt: nowMs });
        if (expecting) quietFor.push(0);
        continue;
      }
      quietFor.push(nowMs - seen.changedAt);
    }
    if (quietFor.length === 0) return 'ok';
    const quiet = Math.min(...quietFor);
    if (quiet === 0) {
      this.#suspected = false;
      if (this.#lastStallAt !== undefined && nowMs - this.#lastStallAt >= this.#healthyMs) {
        this.#backoff = this.#backoffMs;
        this.#lastStallAt = undefined;
      }
      return 'ok';
    }
    const backingOff = this.#lastStallAt !== undefined && nowMs - this.#lastStallAt < this.#backoff;
    if (quiet >= this.#stallMs && !backingOff) {
      if (this.#lastStallAt !== undefined) this.#backoff = Math.min(this.#backoff * 2, this.#maxBackoffMs);
      this.#lastStallAt = nowMs;
      // The next stall is measured from here, whatever the recovery does meanwhile.
      for (const seen of this.#seen.values()) seen.changedAt = nowMs;
      this.#suspected = false;
      return 'stalled';
    }
    if (quiet < this.#suspectMs || this.#suspected) return 'ok';
    this.#suspected = true;
    return 'suspect';
  }
}
