import { SLICE_MS } from './SliceClock.js';

/**
 * Runs `steps` to completion in slices of about `sliceMs`, letting the event loop serve whatever arrived
 * between two slices, and resolves with its result (rejects with what it throws). Each `yield` of the
 * generator is a point where it may be paused, so it should come every few hundred microseconds of work.
 */
export function runInSlices<T>(steps: Generator<unknown, T>, sliceMs = SLICE_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const slice = () => {
      const until = performance.now() + sliceMs;
      try {
        for (;;) {
          const step = steps.next();
          if (step.done) {
            resolve(step.value);
            return;
          }
          if (performance.now() >= until) break;
        }
      } catch (error) {
        reject(error);
        return;
      }
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}
