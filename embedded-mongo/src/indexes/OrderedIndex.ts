import { compareValues } from '../bson/compareValues.js';
import type { IndexEntry, KeyProbe } from './IndexTypes.js';

const MAX_CHUNK = 512;
// Bulk-loaded chunks start part full so the inserts that follow rarely split them at once.
const LOAD_FILL = 384;

/**
 * Index entries kept sorted in a list of bounded chunks (a two-level B+-tree), so inserts
 * and deletes move at most one chunk's worth of entries, even with millions of keys, and
 * equality and range lookups are binary searches.
 */
export class OrderedIndex {
  readonly #directions: number[];
  #chunks: IndexEntry[][] = [];
  #size = 0;

  constructor(directions: number[]) {
    this.#directions = directions;
  }

  get size(): number {
    return this.#size;
  }

  /** Compares keys by the index's field directions. */
  compareKeys(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < this.#directions.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c * this.#directions[i]!;
    }
    return 0;
  }

  #compareEntries(a: IndexEntry, b: IndexEntry): number {
    const c = this.compareKeys(a.key, b.key);
    if (c !== 0) return c;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** Index of the first chunk whose last entry is >= entry (or the last chunk). */
  #chunkFor(entry: IndexEntry): number {
    let lo = 0;
    let hi = this.#chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.#chunks[mid]!;
      if (this.#compareEntries(chunk[chunk.length - 1]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #lowerBound(chunk: IndexEntry[], entry: IndexEntry): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#compareEntries(chunk[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(entry: IndexEntry): void {
    this.#size++;
    if (this.#chunks.length === 0) {
      this.#chunks.push([entry]);
      return;
    }
    const ci = this.#chunkFor(entry);
    const chunk = this.#chunks[ci]!;
    chunk.splice(this.#lowerBound(chunk, entry), 0, entry);
    if (chunk.length > MAX_CHUNK) this.#chunks.splice(ci + 1, 0, chunk.splice(chunk.length >> 1));
  }

  /** Replaces the contents with `entries` (in any order): one sort instead of an insert per entry. */
  load(entries: IndexEntry[]): void {
    entries.sort((a, b) => this.#compareEntries(a, b));
    this.#chunks = [];
    for (let i = 0; i < entries.length; i += LOAD_FILL) this.#chunks.push(entries.slice(i, i + LOAD_FILL));
    this.#size = entries.length;
  }

  /** Removes the exact entry (same key and id); returns whether it was present. */
  remove(entry: IndexEntry): boolean {
    if (this.#chunks.length === 0) return false;
    const ci = this.#chunkFor(entry);
    const chunk = this.#chunks[ci]!;
    const at = this.#lowerBound(chunk, entry);
    const found = chunk[at];
    if (!found || this.#compareEntries(found, entry) !== 0) return false;
    chunk.splice(at, 1);
    if (chunk.length === 0) this.#chunks.splice(ci, 1);
    this.#size--;
    return true;
  }

  /** Whether an entry with exactly `key` belongs to a document other than `id` (unique checks). */
  hasOtherOwner(key: unknown[], id: string): boolean {
    for (const entry of this.scan((candidate) => this.compareKeys(candidate, key))) {
      if (entry.id !== id) return true;
    }
    return false;
  }

  /** Entries of the contiguous region where `probe` answers 0, in index order. */
  scan(probe: KeyProbe): Generator<IndexEntry> {
    const [chunk, at] = this.#bound(probe, false);
    return this.#walk(probe, chunk, at);
  }

  /**
   * Entries of the region where `probe` answers 0 from `from` (an entry position: its key and
   * document key) onwards, in index order: a cursor that jumps ahead instead of stepping.
   */
  scanFrom(probe: KeyProbe, from: IndexEntry): Generator<IndexEntry> {
    if (this.#chunks.length === 0) return this.#walk(probe, 0, 0);
    const chunk = this.#chunkFor(from);
    return this.#walk(probe, chunk, this.#lowerBound(this.#chunks[chunk]!, from));
  }

  /** Entries from position (`chunk`, `at`) onwards while `probe` answers 0. */
  *#walk(probe: KeyProbe, chunk: number, at: number): Generator<IndexEntry> {
    for (let ci = chunk, i = at; ci < this.#chunks.length; ci++, i = 0) {
      const entries = this.#chunks[ci]!;
      for (; i < entries.length; i++) {
        const entry = entries[i]!;
        if (probe(entry.key) !== 0) return;
        yield entry;
      }
    }
  }

  /** Number of entries where `probe` answers 0: two binary searches, no entry visited. */
  count(probe: KeyProbe): number {
    const [startChunk, startAt] = this.#bound(probe, false);
    const [endChunk, endAt] = this.#bound(probe, true);
    let n = 0;
    for (let ci = startChunk; ci < endChunk; ci++) n += this.#chunks[ci]!.length;
    return n - startAt + endAt;
  }

  /** Position (chunk, offset) of the first entry at or after (`after`: past) the probed region. */
  #bound(probe: KeyProbe, after: boolean): [number, number] {
    const before = (key: unknown[]) => (after ? probe(key) <= 0 : probe(key) < 0);
    let lo = 0;
    let hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.#chunks[mid]!;
      if (before(chunk[chunk.length - 1]!.key)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.#chunks.length) return [lo, 0];
    const chunk = this.#chunks[lo]!;
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (before(chunk[mid]!.key)) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  /** Entries of the contiguous region where `probe` answers 0, in reverse index order. */
  *scanReverse(probe: KeyProbe): Generator<IndexEntry> {
    // First chunk whose first entry lies after the region: the region ends in the chunk before.
    let lo = 0;
    let hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (probe(this.#chunks[mid]![0]!.key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let ci = lo - 1; ci >= 0; ci--) {
      const chunk = this.#chunks[ci]!;
      let i = chunk.length - 1;
      if (ci === lo - 1) {
        let a = 0;
        let b = chunk.length;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (probe(chunk[mid]!.key) <= 0) a = mid + 1;
          else b = mid;
        }
        i = a - 1;
      }
      for (; i >= 0; i--) {
        // A write between two pulls of a cursor may have shortened the chunk.
        const entry = chunk[i];
        if (entry === undefined) continue;
        if (probe(entry.key) !== 0) return;
        yield entry;
      }
    }
  }

  /** Every entry in index order. */
  *all(): Generator<IndexEntry> {
    for (const chunk of this.#chunks) yield* chunk;
  }
}
