/** Entries sorted at once: a few milliseconds of work. */
const RUN_LENGTH = 4096;
/** Entries merged between two pause points. */
const MERGE_STEP = 4096;

/**
 * Sorts `items` (by JavaScript string order) in small steps, yielding between them: sorted runs, then
 * pairwise merges. One `Array.prototype.sort` of millions of strings takes seconds in which nothing else
 * runs; this does the same work with a pause point every few milliseconds. Returns a new array.
 *
 * The merges go back and forth between two arrays allocated once: an index build at recovery sorts tens of
 * millions of entries, and a new array per merge (grown by `push`) made gigabytes of garbage for the
 * collector, on top of the entries it has to keep.
 */
export function* sortInSteps(items: readonly string[]): Generator<void, string[]> {
  const n = items.length;
  let from = new Array<string>(n);
  for (let i = 0; i < n; i += RUN_LENGTH) {
    const run = items.slice(i, i + RUN_LENGTH).sort();
    for (let j = 0; j < run.length; j++) from[i + j] = run[j]!;
    yield;
  }
  let to = new Array<string>(n);
  for (let width = RUN_LENGTH; width < n; width *= 2) {
    let sincePause = 0;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let x = lo;
      let y = mid;
      let k = lo;
      while (x < mid && y < hi) {
        to[k++] = from[x]! <= from[y]! ? from[x++]! : from[y++]!;
        if (++sincePause === MERGE_STEP) {
          sincePause = 0;
          yield;
        }
      }
      while (x < mid) to[k++] = from[x++]!;
      while (y < hi) to[k++] = from[y++]!;
    }
    [from, to] = [to, from];
    yield;
  }
  return from;
}
