import type { IndexEntry, KeyProbe } from './IndexTypes.js';
import { entryId } from './KeyEncoding.js';

const MAX_CHUNK = 512;
// Bulk-loaded chunks start part full so the inserts that follow rarely split them at once.
const LOAD_FILL = 384;

/**
 * Index entries kept sorted in a list of bounded chunks (a two-level B+-tree), so inserts
 * and deletes move at most one chunk's worth of entries, even with millions of keys, and
 * equality and range lookups are binary searches. An entry is its encoded key (see
 * KeyEncoding), which ends with its document key: comparing two is one string comparison,
 * and the last key of every chunk is kept in one array so the first search touches little memory.
 */
export class OrderedIndex {
  #chunks: string[][] = [];
  /** The last key of each chunk. */
  #lastKeys: string[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Index of the first chunk whose last key is >= `key` (or the last chunk). */
  #chunkFor(key: string): number {
    const lastKeys = this.#lastKeys;
    let lo = 0;
    let hi = lastKeys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastKeys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts an entry key (unique: it ends with the document key). */
  insert(key: string): void {
    this.#size++;
    if (this.#chunks.length === 0) {
      this.#chunks.push([key]);
      this.#lastKeys.push(key);
      return;
    }
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci]!;
    const at = lowerBound(chunk, key);
    chunk.splice(at, 0, key);
    if (at === chunk.length - 1) this.#lastKeys[ci] = key;
    if (chunk.length > MAX_CHUNK) {
      this.#chunks.splice(ci + 1, 0, chunk.splice(chunk.length >> 1));
      this.#lastKeys.splice(ci, 0, chunk[chunk.length - 1]!);
    }
  }

  /** Replaces the contents with entry `keys` (in any order): one sort instead of an insert per entry. */
  load(keys: string[]): void {
    keys.sort();
    this.#chunks = [];
    this.#lastKeys = [];
    for (let i = 0; i < keys.length; i += LOAD_FILL) {
      const chunk = keys.slice(i, i + LOAD_FILL);
      this.#chunks.push(chunk);
      this.#lastKeys.push(chunk[chunk.length - 1]!);
    }
    this.#size = keys.length;
  }

  /** Removes the entry with exactly this key; returns whether it was present. */
  remove(key: string): boolean {
    if (this.#chunks.length === 0) return false;
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci]!;
    const at = lowerBound(chunk, key);
    if (chunk[at] !== key) return false;
    chunk.splice(at, 1);
    if (chunk.length === 0) {
      this.#chunks.splice(ci, 1);
      this.#lastKeys.splice(ci, 1);
    } else if (at === chunk.length) {
      this.#lastKeys[ci] = chunk[at - 1]!;
    }
    this.#size--;
    return true;
  }

  /** Entries of the contiguous region where `probe` answers 0, in index order. */
  scan(probe: KeyProbe): Generator<IndexEntry> {
    const [chunk, at] = this.#bound(probe, false);
    return this.#walk(probe, chunk, at);
  }

  /**
   * Entries of the region where `probe` answers 0 from the entry key `from` onwards, in index
   * order: a cursor that jumps ahead instead of stepping.
   */
  scanFrom(probe: KeyProbe, from: string): Generator<IndexEntry> {
    if (this.#chunks.length === 0) return this.#walk(probe, 0, 0);
    const chunk = this.#chunkFor(from);
    return this.#walk(probe, chunk, lowerBound(this.#chunks[chunk]!, from));
  }

  /** Entries from position (`chunk`, `at`) onwards while `probe` answers 0. */
  *#walk(probe: KeyProbe, chunk: number, at: number): Generator<IndexEntry> {
    for (let ci = chunk, i = at; ci < this.#chunks.length; ci++, i = 0) {
      const keys = this.#chunks[ci]!;
      for (; i < keys.length; i++) {
        const key = keys[i]!;
        if (probe(key) !== 0) return;
        yield { key, id: entryId(key) };
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
    const before = (key: string) => (after ? probe(key) <= 0 : probe(key) < 0);
    let lo = 0;
    let hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.#lastKeys[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.#chunks.length) return [lo, 0];
    const keys = this.#chunks[lo]!;
    let a = 0;
    let b = keys.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (before(keys[mid]!)) a = mid + 1;
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
      if (probe(this.#chunks[mid]![0]!) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let ci = lo - 1; ci >= 0; ci--) {
      const keys = this.#chunks[ci]!;
      let i = keys.length - 1;
      if (ci === lo - 1) {
        let a = 0;
        let b = keys.length;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (probe(keys[mid]!) <= 0) a = mid + 1;
          else b = mid;
        }
        i = a - 1;
      }
      for (; i >= 0; i--) {
        // A write between two pulls of a cursor may have shortened the chunk.
        const key = keys[i];
        if (key === undefined) continue;
        if (probe(key) !== 0) return;
        yield { key, id: entryId(key) };
      }
    }
  }

  /** Every entry in index order. */
  *all(): Generator<IndexEntry> {
    for (const keys of this.#chunks) for (const key of keys) yield { key, id: entryId(key) };
  }
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
