/** Entries sorted at once: a few milliseconds of work. */
const RUN_LENGTH = 4096;
/** Entries merged between two pause points. */
const MERGE_STEP = 4096;

/**
 * Sorts `items` (by JavaScript string order) in small steps, yielding between them: sorted runs, then
 * pairwise merges. One `Array.prototype.sort` of millions of strings takes seconds in which nothing else
 * runs; this does the same work with a pause point every few milliseconds. Returns a new array.
 */
export function* sortInSteps(items: readonly string[]): Generator<void, string[]> {
  let runs: string[][] = [];
  for (let i = 0; i < items.length; i += RUN_LENGTH) {
    runs.push(items.slice(i, i + RUN_LENGTH).sort());
    yield;
  }
  while (runs.length > 1) {
    const merged: string[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!;
      const b = runs[r + 1];
      if (!b) {
        merged.push(a);
        continue;
      }
      const out: string[] = [];
      let x = 0;
      let y = 0;
      while (x < a.length && y < b.length) {
        out.push(a[x]! <= b[y]! ? a[x++]! : b[y++]!);
        if (out.length % MERGE_STEP === 0) yield;
      }
      while (x < a.length) out.push(a[x++]!);
      while (y < b.length) out.push(b[y++]!);
      merged.push(out);
      yield;
    }
    runs = merged;
  }
  return runs[0] ?? [];
}
