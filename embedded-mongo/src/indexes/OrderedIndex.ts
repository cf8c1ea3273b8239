import type { IndexEntry, KeyProbe, OrderedIndexOptions } from './IndexTypes.js';
import { KeyChunk } from './KeyChunk.js';
import { entryId } from './KeyEncoding.js';

const MAX_CHUNK = 256;
// Bulk-loaded chunks start part full so the inserts that follow rarely split them at once.
const LOAD_FILL = 192;
const MAX_GROUP = 256;
const GROUP_LOAD_FILL = 192;

/** A run of consecutive chunks, and each one's last key packed in a chunk of their own. */
interface ChunkGroup {
  chunks: KeyChunk[];
  lastKeys: KeyChunk;
}

/** Where an entry is: group, chunk within it, entry within that. Past the end: `[groups.length, 0, 0]`. */
type Position = [group: number, chunk: number, at: number];

/**
 * Index entries kept sorted in bounded chunks, which are kept in bounded groups (a three-level
 * B+-tree), so inserts and deletes move at most one chunk's worth of entries and one group's worth of
 * chunks, even with tens of millions of keys. A single list of chunks (there were 110K of them for the
 * audit trail's patient index) cost a quarter of every insert in a loaded store: splitting a chunk
 * moved the whole list, ~0.3 ms a time, as V8 re-checks every moved slot for its write barrier. Equality and range lookups are binary
 * searches, level by level. An entry is its encoded key (see KeyEncoding), which ends with its document
 * key: comparing two is one string comparison. Each chunk packs its entries into one buffer, changed in
 * place (see KeyChunk).
 */
export class OrderedIndex {
  #groups: ChunkGroup[] = [];
  /**
   * Each group's last key: the first search of every lookup reads only these. Packed, as each group's
   * chunks' last keys are: one buffer per group instead of a string object per chunk for the collector
   * to trace. (Measured in a loaded store, lookups took as long as through arrays of
   * strings: the cost there is cache misses either way.)
   */
  #groupLastKeys = new KeyChunk([]);
  #size = 0;
  /** Bumped by every change, so a scan paused between two entries knows to find its place again. */
  #version = 0;
  readonly #maxChunk: number;
  readonly #loadFill: number;
  readonly #maxGroup: number;
  readonly #groupLoadFill: number;

  constructor(options: OrderedIndexOptions = {}) {
    this.#maxChunk = options.maxChunk ?? MAX_CHUNK;
    this.#loadFill = Math.min(LOAD_FILL, this.#maxChunk);
    this.#maxGroup = options.maxGroup ?? MAX_GROUP;
    this.#groupLoadFill = Math.min(GROUP_LOAD_FILL, this.#maxGroup);
  }

  get size(): number {
    return this.#size;
  }

  /** Index of the first group whose last key is >= `key` (or the last group). */
  #groupFor(key: string): number {
    return firstAtLeast(this.#groupLastKeys, key);
  }

  /** The position of the first entry >= `key`, or the end of the last chunk; the index must not be empty. */
  #locate(key: string): Position {
    const gi = this.#groupFor(key);
    const group = this.#groups[gi]!;
    const ci = firstAtLeast(group.lastKeys, key);
    return [gi, ci, group.chunks[ci]!.lowerBound(key)];
  }

  /** Inserts an entry key (unique: it ends with the document key). */
  insert(key: string): void {
    this.#size++;
    this.#version++;
    if (this.#groups.length === 0) {
      this.#groups.push({ chunks: [new KeyChunk([key])], lastKeys: new KeyChunk([key]) });
      this.#groupLastKeys = new KeyChunk([key]);
      return;
    }
    const gi = this.#groupFor(key);
    const group = this.#groups[gi]!;
    const ci = firstAtLeast(group.lastKeys, key);
    const chunk = this.#writable(group, ci);
    // Past the last key of the last chunk: an append, the common case of time-ordered keys.
    const atEnd = gi === this.#groups.length - 1 && ci === group.chunks.length - 1 && chunk.last < key;
    const at = atEnd ? chunk.length : chunk.lowerBound(key);
    chunk.insertAt(at, key);
    // The last keys above change only when this one became a chunk's last, or a chunk split.
    const becameLast = at === chunk.length - 1;
    if (!becameLast && chunk.length <= this.#maxChunk) return;
    const groupLastChanged = becameLast && ci === group.chunks.length - 1;
    if (chunk.length > this.#maxChunk) {
      const upper = chunk.split();
      group.chunks.splice(ci + 1, 0, upper);
      group.lastKeys.insertAt(ci + 1, upper.last);
    }
    group.lastKeys.replaceAt(ci, chunk.last);
    if (group.chunks.length > this.#maxGroup) {
      const lastKeys = group.lastKeys.split();
      const upper = { chunks: group.chunks.splice(group.lastKeys.length), lastKeys };
      this.#groups.splice(gi + 1, 0, upper);
      this.#groupLastKeys.insertAt(gi + 1, lastKeys.last);
      this.#groupLastKeys.replaceAt(gi, group.lastKeys.last);
    } else if (groupLastChanged) {
      this.#groupLastKeys.replaceAt(gi, group.lastKeys.last);
    }
  }

  /**
   * Replaces the contents with entry `keys`, which must be sorted, yielding every few hundred chunks
   * (a background index build loads millions this way). The contents are complete once it returns.
   * Consumes `keys`: loaded from the end, the array is shortened as it goes, so the entry strings of a
   * large build can be collected while the rest load instead of all being kept to the end.
   */
  *loadSorted(keys: string[]): Generator<void> {
    const size = keys.length;
    const fill = this.#loadFill;
    const chunks: KeyChunk[] = [];
    for (let start = Math.floor((keys.length - 1) / fill) * fill; start >= 0; start -= fill) {
      chunks.push(new KeyChunk(keys.slice(start, start + fill)));
      keys.length = start;
      if (chunks.length % 256 === 0) yield;
    }
    chunks.reverse();
    this.#setChunks(chunks);
    this.#size = size;
  }

  /**
   * The chunks as they are now, for a snapshot to write while changes go on: until `thaw`, a change to one
   * of them is made to a copy that takes its place here.
   */
  freeze(): readonly KeyChunk[] {
    const chunks = this.#groups.flatMap((group) => group.chunks);
    for (const chunk of chunks) chunk.frozen = true;
    return chunks;
  }

  /** The snapshot that froze `chunks` is written: those still in this index may be changed in place again. */
  static thaw(chunks: readonly KeyChunk[]): void {
    for (const chunk of chunks) chunk.frozen = false;
  }

  /** Replaces the contents with `chunks`, which must hold sorted entries, each chunk's after the one before. */
  loadChunks(chunks: KeyChunk[]): void {
    const kept = chunks.filter((chunk) => chunk.length > 0);
    this.#setChunks(kept);
    this.#size = kept.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  #setChunks(chunks: KeyChunk[]): void {
    const fill = this.#groupLoadFill;
    this.#groups = [];
    for (let start = 0; start < chunks.length; start += fill) {
      const part = chunks.slice(start, start + fill);
      this.#groups.push({ chunks: part, lastKeys: new KeyChunk(part.map((chunk) => chunk.last)) });
    }
    this.#groupLastKeys = new KeyChunk(this.#groups.map((group) => group.lastKeys.last));
    this.#version++;
  }

  /** Chunk `ci` of `group`, replaced first by a copy of its own if a snapshot holds it. */
  #writable(group: ChunkGroup, ci: number): KeyChunk {
    const chunk = group.chunks[ci]!;
    if (!chunk.frozen) return chunk;
    const copy = chunk.clone();
    group.chunks[ci] = copy;
    return copy;
  }

  /** Removes the entry with exactly this key; returns whether it was present. */
  remove(key: string): boolean {
    if (this.#groups.length === 0) return false;
    const [gi, ci, at] = this.#locate(key);
    const group = this.#groups[gi]!;
    const found = group.chunks[ci]!;
    if (at === found.length || found.compareAt(at, key) !== 0) return false;
    const chunk = this.#writable(group, ci);
    chunk.removeAt(at);
    this.#size--;
    this.#version++;
    if (at < chunk.length) return true;
    if (chunk.length > 0) {
      group.lastKeys.replaceAt(ci, chunk.last);
    } else {
      group.chunks.splice(ci, 1);
      group.lastKeys.removeAt(ci);
    }
    if (group.chunks.length > 0) {
      this.#groupLastKeys.replaceAt(gi, group.lastKeys.last);
    } else {
      this.#groups.splice(gi, 1);
      this.#groupLastKeys.removeAt(gi);
    }
    return true;
  }

  /** Entries of the contiguous region where `probe` answers 0, in index order. */
  *scan(probe: KeyProbe): Generator<IndexEntry> {
    // Positions are found when the first entry is asked for, so changes made before that count.
    yield* this.#walk(probe, this.#bound(probe, false));
  }

  /**
   * Entries of the region where `probe` answers 0 from the entry key `from` onwards, in index
   * order: a cursor that jumps ahead instead of stepping.
   */
  *scanFrom(probe: KeyProbe, from: string): Generator<IndexEntry> {
    if (this.#groups.length === 0) return;
    yield* this.#walk(probe, this.#locate(from));
  }

  /**
   * Entries from `position` onwards while `probe` answers 0. A change made while the caller held an
   * entry moves positions, so the walk then finds the entry after that key anew: every entry present
   * throughout is yielded once, whatever was inserted or removed meanwhile.
   */
  *#walk(probe: KeyProbe, position: Position): Generator<IndexEntry> {
    let [gi, ci, i] = position;
    let seen = this.#version;
    while (gi < this.#groups.length) {
      const chunks = this.#groups[gi]!.chunks;
      if (ci >= chunks.length) {
        gi++;
        ci = 0;
        i = 0;
        continue;
      }
      const chunk = chunks[ci]!;
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
      if (this.#groups.length === 0) return;
      [gi, ci, i] = this.#locate(key);
      const next = this.#groups[gi]!.chunks[ci]!;
      if (i < next.length && next.compareAt(i, key) === 0) i++;
    }
  }

  /** Number of entries where `probe` answers 0: two binary searches, no entry visited. */
  count(probe: KeyProbe): number {
    const [startGroup, startChunk, startAt] = this.#bound(probe, false);
    const [endGroup, endChunk, endAt] = this.#bound(probe, true);
    let n = endAt - startAt;
    for (let gi = startGroup; gi <= endGroup && gi < this.#groups.length; gi++) {
      const chunks = this.#groups[gi]!.chunks;
      const to = gi === endGroup ? endChunk : chunks.length;
      for (let ci = gi === startGroup ? startChunk : 0; ci < to; ci++) n += chunks[ci]!.length;
    }
    return n;
  }

  /** Position of the first entry at or after (`after`: past) the probed region. */
  #bound(probe: KeyProbe, after: boolean): Position {
    const before = after ? (key: string) => probe(key) <= 0 : (key: string) => probe(key) < 0;
    const gi = this.#groupLastKeys.partition(before);
    if (gi === this.#groups.length) return [gi, 0, 0];
    const group = this.#groups[gi]!;
    // Within the first group whose last key is not before the region, so some chunk's is not either.
    const ci = group.lastKeys.partition(before);
    return [gi, ci, group.chunks[ci]!.partition(before)];
  }

  /** Entries of the contiguous region where `probe` answers 0, in reverse index order. */
  *scanReverse(probe: KeyProbe): Generator<IndexEntry> {
    // The last entry of the region: just before the first entry past it.
    let [gi, ci, i] = this.#bound(probe, true);
    let seen = this.#version;
    for (;;) {
      i--;
      while (i < 0) {
        if (--ci < 0) {
          if (--gi < 0) return;
          ci = this.#groups[gi]!.chunks.length - 1;
        }
        i = this.#groups[gi]!.chunks[ci]!.length - 1;
      }
      const key = this.#groups[gi]!.chunks[ci]!.at(i);
      if (probe(key) !== 0) return;
      yield { key, id: entryId(key) };
      if (this.#version !== seen) {
        // Find the place again: the position of the first entry >= key, whose predecessor comes next.
        seen = this.#version;
        if (this.#groups.length === 0) return;
        [gi, ci, i] = this.#locate(key);
      }
    }
  }

  /** Every entry in index order. */
  all(): Generator<IndexEntry> {
    return this.#walk(() => 0, [0, 0, 0]);
  }
}

/** Index of the first of the sorted `keys` that is >= `key`, or the last index if none is. */
function firstAtLeast(keys: KeyChunk, key: string): number {
  return Math.min(keys.lowerBound(key), keys.length - 1);
}
