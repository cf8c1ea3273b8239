import { type LoopbackSample, loopbackMeasurement } from './loopbackMeasurement.js';
import type { PrecallMeasurement } from './precallMeasurement.js';

/** A loopback through the SFU that connected: test media goes up and comes back down. */
export interface Loopback {
  sample(): Promise<LoopbackSample>;
  close(): Promise<void>;
}

/**
 * Opens a loopback with the ICE policy given: `all` (UDP straight to the SFU first) or `relay` (TURN only).
 * Resolves null when its transports do not connect within `connectTimeoutMs`; rejects when signaling refuses.
 */
export interface LoopbackOpener {
  open(policy: RTCIceTransportPolicy, connectTimeoutMs: number): Promise<Loopback | null>;
}

export type NetworkTestPhase = 'connecting' | 'connecting-relay' | 'measuring';

export interface NetworkTestProgress {
  phase: NetworkTestPhase;
  /** How far the whole test is, 0..1. */
  fraction: number;
}

export interface NetworkTestOptions {
  /** How long each way of reaching the SFU gets to connect (5 s by default). */
  connectTimeoutMs?: number;
  /** How long media is measured once it flows (5 s by default). */
  measureMs?: number;
  /** How often the counters are read while measuring (500 ms by default). */
  sampleEveryMs?: number;
}

/**
 * The pre-call network test, without React: reach the SFU (straight, else through TURN, else "cannot connect"),
 * send test media round the loopback for a few seconds, and turn the counters into a measurement for the verdict.
 */
export class NetworkTest {
  readonly #opener: LoopbackOpener;
  readonly #connectTimeoutMs: number;
  readonly #measureMs: number;
  readonly #sampleEveryMs: number;
  #cancelled = false;
  #open: Loopback | undefined;

  constructor(opener: LoopbackOpener, options: NetworkTestOptions = {}) {
    this.#opener = opener;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#measureMs = options.measureMs ?? 5_000;
    this.#sampleEveryMs = options.sampleEveryMs ?? 500;
  }

  async run(
    onProgress: (progress: NetworkTestProgress) => void = () => undefined,
  ): Promise<PrecallMeasurement> {
    const total = 2 * this.#connectTimeoutMs + this.#measureMs;
    onProgress({ phase: 'connecting', fraction: 0 });
    let loopback = await this.#opener.open('all', this.#connectTimeoutMs);
    let reachability: 'udp' | 'turn' = 'udp';
    if (!loopback && !this.#cancelled) {
      onProgress({ phase: 'connecting-relay', fraction: this.#connectTimeoutMs / total });
      loopback = await this.#opener.open('relay', this.#connectTimeoutMs);
      reachability = 'turn';
    }
    if (!loopback)
      return { reachability: 'none', uplinkKbps: null, downlinkKbps: null, rttMs: null, loss: null };
    this.#open = loopback;
    try {
      const measuredFrom = (2 * this.#connectTimeoutMs) / total;
      const samples: LoopbackSample[] = [await loopback.sample()];
      const started = samples[0]?.atMs ?? 0;
      onProgress({ phase: 'measuring', fraction: measuredFrom });
      while (!this.#cancelled) {
        await delay(this.#sampleEveryMs);
        const sample = await loopback.sample();
        samples.push(sample);
        const elapsed = sample.atMs - started;
        onProgress({
          phase: 'measuring',
          fraction: Math.min(1, measuredFrom + (1 - measuredFrom) * (elapsed / this.#measureMs)),
        });
        if (elapsed >= this.#measureMs) break;
      }
      return loopbackMeasurement(reachability, samples);
    } finally {
      this.#open = undefined;
      await loopback.close();
    }
  }

  /** Stops measuring (the page went): the loopback closes, and `run` answers with what it measured so far. */
  cancel(): void {
    this.#cancelled = true;
    void this.#open?.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
