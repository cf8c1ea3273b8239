/**
 * A sorted run of entry keys packed into one string, with the end offset of each entry.
 * Millions of index entries held as separate strings are millions of objects for the garbage
 * collector to mark (a full collection of 5M took ~1 s here); packed, they are a few thousand
 * strings and offset arrays. Entries are read out as slices, which are cheap and short-lived.
 */
export class KeyChunk {
  #text: string;
  /** End offset in `#text` of each entry (small integers: no objects for the collector). */
  #ends: number[];
  /**
   * The last entry, as a string of its own: compared on every search that passes this chunk, and
   * flat strings compare several times faster than slices (which would also keep old texts alive).
   */
  #last: string | undefined;

  /** A chunk of `keys`, which must be sorted. */
  constructor(keys: readonly string[]) {
    // `join` builds one flat string, not a slice of a larger one that it would keep alive.
    this.#text = keys.join('');
    this.#ends = new Array<number>(keys.length);
    let end = 0;
    for (let i = 0; i < keys.length; i++) {
      end += keys[i]!.length;
      this.#ends[i] = end;
    }
  }

  get length(): number {
    return this.#ends.length;
  }

  get last(): string {
    this.#last ??= detached(this.at(this.#ends.length - 1));
    return this.#last;
  }

  /** Entry `i` (0 <= i < length). */
  at(i: number): string {
    return this.#text.slice(i === 0 ? 0 : this.#ends[i - 1], this.#ends[i]);
  }

  /** Position of the first entry >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.#ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of the first entry for which `before` is false (entries for which it is true come first). */
  partition(before: (entry: string) => boolean): number {
    let lo = 0;
    let hi = this.#ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.at(mid))) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts `key` at position `i`, where it keeps the chunk sorted. */
  insertAt(i: number, key: string): void {
    const ends = this.#ends;
    const n = ends.length;
    if (i === n) {
      // Appending (time-ordered keys do) leaves a rope that is flattened only when the chunk is read.
      this.#text += key;
      ends.push((n === 0 ? 0 : ends[n - 1]!) + key.length);
      this.#last = key;
      return;
    }
    const at = i === 0 ? 0 : ends[i - 1]!;
    this.#text = this.#text.slice(0, at) + key + this.#text.slice(at);
    ends.splice(i, 0, at);
    for (let j = i; j <= n; j++) ends[j]! += key.length;
  }

  /** Removes the entry at position `i`. */
  removeAt(i: number): void {
    const ends = this.#ends;
    const start = i === 0 ? 0 : ends[i - 1]!;
    const width = ends[i]! - start;
    this.#text = this.#text.slice(0, start) + this.#text.slice(start + width);
    ends.splice(i, 1);
    for (let j = i; j < ends.length; j++) ends[j]! -= width;
    if (i === ends.length) this.#last = undefined;
  }

  /** Moves the upper half of the entries into a new chunk, which it returns. */
  split(): KeyChunk {
    const half = this.#ends.length >> 1;
    const upper = new KeyChunk(this.#range(half, this.#ends.length));
    const lower = this.#range(0, half);
    this.#text = lower.join('');
    this.#ends.length = half;
    this.#last = undefined;
    return upper;
  }

  #range(from: number, to: number): string[] {
    const keys = new Array<string>(to - from);
    for (let i = from; i < to; i++) keys[i - from] = this.at(i);
    return keys;
  }
}

/** A copy of `slice` that is a flat string of its own, not a view of (and a reference to) a larger one. */
function detached(slice: string): string {
  return Buffer.from(slice, 'utf16le').toString('utf16le');
}
