import { setFlagsFromString } from 'node:v8';

/** After a major collection, the heap may grow to this many times what survived it before the next one. */
const HEAP_GROWTH_FACTOR = 5;

/**
 * Tunes this process's garbage collector for a store that serves many clients: V8 starts the next major
 * collection once the heap has grown by a small factor over what the last one kept. The documents and index
 * entries live outside the heap, so what it keeps is small (40-50 MB with a million documents), and the
 * garbage of a busy minute's requests, promoted a little at a time, started a major collection every 2-5 s.
 * Each one stalls every client of the store at once (its marking steps and pause took 60-100 ms here). Growing
 * the heap by five times what survived puts minutes between them, for a few hundred megabytes at most.
 * For a process whose main job is the store: the CLI, and the platform launcher that hosts it.
 */
export function growHeapInLargeSteps(): void {
  setFlagsFromString(`--heap-growing-percent=${(HEAP_GROWTH_FACTOR - 1) * 100}`);
}
