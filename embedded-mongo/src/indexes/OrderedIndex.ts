import type { IndexEntry, KeyProbe } from './IndexTypes.js';
import { KeyChunk } from './KeyChunk.js';
import { entryId } from './KeyEncoding.js';

const MAX_CHUNK = 256;
// Bulk-loaded chunks start part full so the inserts that follow rarely split them at once.
const LOAD_FILL = 192;

/**
 * Index entries kept sorted in a list of bounded chunks (a two-level B+-tree), so inserts
 * and deletes move at most one chunk's worth of entries, even with millions of keys, and
 * equality and range lookups are binary searches. An entry is its encoded key (see
 * KeyEncoding), which ends with its document key: comparing two is one string comparison.
 * Each chunk packs its entries into one buffer, changed in place (see KeyChunk).
 */
export class OrderedIndex {
  #chunks: KeyChunk[] = [];
  /** Each chunk's last key, in one array: the first search of every lookup reads only these. */
  #lastKeys: string[] = [];
  #size = 0;
  /** Bumped by every change, so a scan paused between two entries knows to find its place again. */
  #version = 0;

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
    this.#version++;
    if (this.#chunks.length === 0) {
      this.#chunks.push(new KeyChunk([key]));
      this.#lastKeys.push(key);
      return;
    }
    const ci = this.#chunkFor(key);
    const chunk = this.#writable(ci);
    // Past the last key of the last chunk: an append, the common case of time-ordered keys.
    chunk.insertAt(
      ci === this.#chunks.length - 1 && chunk.last < key ? chunk.length : chunk.lowerBound(key),
      key,
    );
    if (chunk.length > MAX_CHUNK) {
      const upper = chunk.split();
      this.#chunks.splice(ci + 1, 0, upper);
      this.#lastKeys.splice(ci + 1, 0, upper.last);
    }
    this.#lastKeys[ci] = chunk.last;
  }

  /**
   * Replaces the contents with entry `keys`, which must be sorted, yielding every few hundred chunks
   * (a background index build loads millions this way). The contents are complete once it returns.
   * Consumes `keys`: loaded from the end, the array is shortened as it goes, so the entry strings of a
   * large build can be collected while the rest load instead of all being kept to the end.
   */
  *loadSorted(keys: string[]): Generator<void> {
    const size = keys.length;
    const chunks: KeyChunk[] = [];
    for (let start = Math.floor((keys.length - 1) / LOAD_FILL) * LOAD_FILL; start >= 0; start -= LOAD_FILL) {
      chunks.push(new KeyChunk(keys.slice(start, start + LOAD_FILL)));
      keys.length = start;
      if (chunks.length % 256 === 0) yield;
    }
    chunks.reverse();
    this.#chunks = chunks;
    this.#lastKeys = chunks.map((chunk) => chunk.last);
    this.#size = size;
    this.#version++;
  }

  /**
   * The chunks as they are now, for a snapshot to write while changes go on: until `thaw`, a change to one
   * of them is made to a copy that takes its place here.
   */
  freeze(): readonly KeyChunk[] {
    for (const chunk of this.#chunks) chunk.frozen = true;
    return [...this.#chunks];
  }

  /** The snapshot that froze `chunks` is written: those still in this index may be changed in place again. */
  static thaw(chunks: readonly KeyChunk[]): void {
    for (const chunk of chunks) chunk.frozen = false;
  }

  /** Replaces the contents with `chunks`, which must hold sorted entries, each chunk's after the one before. */
  loadChunks(chunks: KeyChunk[]): void {
    this.#chunks = chunks.filter((chunk) => chunk.length > 0);
    this.#lastKeys = this.#chunks.map((chunk) => chunk.last);
    this.#size = this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    this.#version++;
  }

  /** Chunk `ci`, replaced first by a copy of its own if a snapshot holds it. */
  #writable(ci: number): KeyChunk {
    const chunk = this.#chunks[ci]!;
    if (!chunk.frozen) return chunk;
    const copy = chunk.clone();
    this.#chunks[ci] = copy;
    return copy;
  }

  /** Removes the entry with exactly this key; returns whether it was present. */
  remove(key: string): boolean {
    if (this.#chunks.length === 0) return false;
    const ci = this.#chunkFor(key);
    const found = this.#chunks[ci]!;
    const at = found.lowerBound(key);
    if (at === found.length || found.compareAt(at, key) !== 0) return false;
    const chunk = this.#writable(ci);
    chunk.removeAt(at);
    if (chunk.length === 0) {
      this.#chunks.splice(ci, 1);
      this.#lastKeys.splice(ci, 1);
    } else {
      this.#lastKeys[ci] = chunk.last;
    }
    this.#size--;
    this.#version++;
    return true;
  }

  /** Entries of the contiguous region where `probe` answers 0, in index order. */
  *scan(probe: KeyProbe): Generator<IndexEntry> {
    // Positions are found when the first entry is asked for, so changes made before that count.
    const [chunk, at] = this.#bound(probe, false);
    yield* this.#walk(probe, chunk, at);
  }

  /**
   * Entries of the region where `probe` answers 0 from the entry key `from` onwards, in index
   * order: a cursor that jumps ahead instead of stepping.
   */
  *scanFrom(probe: KeyProbe, from: string): Generator<IndexEntry> {
    if (this.#chunks.length === 0) return;
    const chunk = this.#chunkFor(from);
    yield* this.#walk(probe, chunk, this.#chunks[chunk]!.lowerBound(from));
  }

  /**
   * Entries from position (`ci`, `i`) onwards while `probe` answers 0. A change made while the
   * caller held an entry moves positions, so the walk then finds the entry after that key anew:
   * every entry present throughout is yielded once, whatever was inserted or removed meanwhile.
   */
  *#walk(probe: KeyProbe, ci: number, i: number): Generator<IndexEntry> {
    let seen = this.#version;
    while (ci < this.#chunks.length) {
      const chunk = this.#chunks[ci]!;
      if (i >= chunk.length) {
        ci++;
        i = 0;
        continue;
      }
      const key = chunk.at(i);
      if (probe(key) !== 0) return;
      yield { key, id: entryId(key) };
      if (this.#version === seen) {
        i++;
        continue;
      }
      seen = this.#version;
      if (this.#chunks.length === 0) return;
      ci = this.#chunkFor(key);
      const next = this.#chunks[ci]!;
      i = next.lowerBound(key);
      if (i < next.length && next.compareAt(i, key) === 0) i++;
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
    const before = after ? (key: string) => probe(key) <= 0 : (key: string) => probe(key) < 0;
    let lo = 0;
    let hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.#lastKeys[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.#chunks.length) return [lo, 0];
    return [lo, this.#chunks[lo]!.partition(before)];
  }

  /** Entries of the contiguous region where `probe` answers 0, in reverse index order. */
  *scanReverse(probe: KeyProbe): Generator<IndexEntry> {
    // The last entry of the region: just before the first entry past it.
    let [ci, i] = this.#bound(probe, true);
    let seen = this.#version;
    for (;;) {
      i--;
      while (i < 0) {
        if (--ci < 0) return;
        i = this.#chunks[ci]!.length - 1;
      }
      const key = this.#chunks[ci]!.at(i);
      if (probe(key) !== 0) return;
      yield { key, id: entryId(key) };
      if (this.#version !== seen) {
        // Find the place again: the position of the first entry >= key, whose predecessor comes next.
        seen = this.#version;
        if (this.#chunks.length === 0) return;
        ci = this.#chunkFor(key);
        i = this.#chunks[ci]!.lowerBound(key);
      }
    }
  }

  /** Every entry in index order. */
  all(): Generator<IndexEntry> {
    return this.#walk(() => 0, 0, 0);
  }
}
