import { SliceClock } from './SliceClock.js';

/**
 * Runs `steps` to completion in slices (see SliceClock), letting the event loop serve whatever arrived
 * between two slices, and resolves with its result (rejects with what it throws). Each `yield` of the
 * generator is a point where it may be paused, so it should come every few hundred microseconds of work.
 * The first slice runs at once: a short task finishes without waiting for a turn of the event loop.
 */
export async function runInSlices<T>(steps: Generator<unknown, T>): Promise<T> {
  const clock = new SliceClock();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (clock.due) await clock.nextSlice();
  }
}
