/** Work done between two turns of the event loop: what a request waits at most behind a long task. */
export const SLICE_MS = 8;

/**
 * The time slices of a long task that runs as a loop with pause points, so that the server goes on
 * answering other clients meanwhile (as mongod's long queries and index builds yield): at each pause
 * point the task asks whether its slice is used up, and if so awaits `nextSlice()`.
 */
export class SliceClock {
  readonly #sliceMs: number;
  #until: number;

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
    this.#until = performance.now() + sliceMs;
  }

  /** Whether the current slice is used up. */
  get due(): boolean {
    return performance.now() >= this.#until;
  }

  /** Lets the event loop serve what arrived (I/O included), then starts a new slice. */
  async nextSlice(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#until = performance.now() + this.#sliceMs;
  }
}
