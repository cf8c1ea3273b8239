import { hasWideCharacter } from './KeyEncoding.js';

/** Character codes of a chunk: one byte each while every entry is Latin-1, else two. */
type Codes = Uint8Array | Uint16Array;

// Two-byte codes are read out as UTF-16LE, which is how a Uint16Array holds them on such a machine.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A sorted run of entry keys packed into one buffer of character codes, with the end offset of
 * each entry. Millions of index entries held as separate strings are millions of objects for the
 * garbage collector to mark (a full collection of 5M took ~1 s here); packed, they are a few
 * thousand buffers. The buffer is changed in place, with room to grow: an insert at a random place
 * (the patients named by each audit event) used to replace a whole packed string of a few
 * kilobytes, and those strings, long-lived enough to be promoted, made most of the store's
 * old-generation garbage and so its major collections. Entries are read out as new strings, which
 * are short-lived; searches compare in place.
 */
export class KeyChunk {
  /** The codes' memory, outside the JavaScript heap. */
  #bytes: Buffer;
  #codes: Codes;
  #wide: boolean;
  /** Codes in use, from the start of `#codes`. */
  #used = 0;
  /**
   * End offset in `#codes` of each entry, in a typed array: a plain array's elements would be
   * visited one by one by every major collection.
   */
  #ends: Int32Array;
  #count = 0;
  /** The common prefix length the last `#compareFrom` found: its second result, without an allocation. */
  #matched = 0;
  /** The last entry, compared on every search that passes this chunk. */
  #last: string | undefined;
  /**
   * Held by a snapshot being written: its index replaces it with a copy before any change (see
   * OrderedIndex.freeze), so the snapshot writes the entries as they were when it was taken.
   */
  frozen = false;

  /** A chunk of `keys`, which must be sorted. */
  constructor(keys: readonly string[]) {
    let total = 0;
    let wide = false;
    for (const key of keys) {
      total += key.length;
      wide ||= hasWideCharacter(key);
    }
    this.#wide = wide;
    this.#bytes = allocate(roomFor(total), wide);
    this.#codes = codesOf(this.#bytes, wide);
    this.#ends = new Int32Array(roomFor(keys.length));
    for (const key of keys) {
      this.#write(this.#used, key);
      this.#used += key.length;
      this.#ends[this.#count++] = this.#used;
    }
  }

  /**
   * A chunk of packed entries: the end offset of each (`ends`) and their `codes`, one byte each, or two
   * (UTF-16LE) if `wide`; as `packed` gives them. Copied into memory of its own, with room to grow.
   */
  static unpack(wide: boolean, ends: ArrayLike<number>, codes: Buffer): KeyChunk {
    const chunk = new KeyChunk([]);
    const used = wide ? codes.length >> 1 : codes.length;
    chunk.#wide = wide;
    chunk.#bytes = allocate(roomFor(used), wide);
    codes.copy(chunk.#bytes);
    chunk.#codes = codesOf(chunk.#bytes, wide);
    chunk.#used = used;
    chunk.#ends = new Int32Array(roomFor(ends.length));
    chunk.#ends.set(ends);
    chunk.#count = ends.length;
    return chunk;
  }

  /** The entries as `unpack` takes them: views of this chunk's memory, valid until it changes. */
  packed(): { wide: boolean; ends: Int32Array; codes: Buffer } {
    const width = this.#wide ? 2 : 1;
    return {
      wide: this.#wide,
      ends: this.#ends.subarray(0, this.#count),
      codes: this.#bytes.subarray(0, width * this.#used),
    };
  }

  /** A copy with the same entries, in memory of its own. */
  clone(): KeyChunk {
    const { wide, ends, codes } = this.packed();
    return KeyChunk.unpack(wide, ends, codes);
  }

  get length(): number {
    return this.#count;
  }

  get last(): string {
    this.#last ??= this.at(this.#count - 1);
    return this.#last;
  }

  /** Entry `i` (0 <= i < length). */
  at(i: number): string {
    const start = i === 0 ? 0 : this.#ends[i - 1]!;
    const end = this.#ends[i]!;
    if (!this.#wide) return this.#bytes.toString('latin1', start, end);
    return LITTLE_ENDIAN
      ? this.#bytes.toString('utf16le', 2 * start, 2 * end)
      : String.fromCharCode.apply(null, this.#codes.subarray(start, end) as unknown as number[]);
  }

  /** Entry `i` compared with `key`: negative if it sorts before, 0 if equal, positive if after (as `<` orders strings). */
  compareAt(i: number, key: string): number {
    return this.#compareFrom(i, key, 0);
  }

  /**
   * As `compareAt`, for an entry known to start with `key`'s first `from` characters; leaves the length of
   * their common prefix in `#matched`.
   */
  #compareFrom(i: number, key: string, from: number): number {
    const codes = this.#codes;
    const start = i === 0 ? 0 : this.#ends[i - 1]!;
    const length = this.#ends[i]! - start;
    const common = Math.min(length, key.length);
    for (let j = from; j < common; j++) {
      const difference = codes[start + j]! - key.charCodeAt(j);
      if (difference !== 0) {
        this.#matched = j;
        return difference;
      }
    }
    this.#matched = common;
    return length - key.length;
  }

  /**
   * Position of the first entry >= `key`. Entries of one chunk share long prefixes (the same patient, the
   * same day), and every entry between two that share `n` leading characters with `key` shares them too:
   * each comparison starts past what both bounds of the search already matched (~30% faster on the
   * audit trail's patient index, alone; in a loaded store, cache misses dominate).
   */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.#count;
    let matchedBelow = 0;
    let matchedAbove = 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#compareFrom(mid, key, Math.min(matchedBelow, matchedAbove)) < 0) {
        lo = mid + 1;
        matchedBelow = this.#matched;
      } else {
        hi = mid;
        matchedAbove = this.#matched;
      }
    }
    return lo;
  }

  /** Position of the first entry for which `before` is false (entries for which it is true come first). */
  partition(before: (entry: string) => boolean): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.at(mid))) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts `key` at position `i`, where it keeps the chunk sorted. */
  insertAt(i: number, key: string): void {
    const widen = !this.#wide && hasWideCharacter(key);
    const n = this.#count;
    const at = i === 0 ? 0 : this.#ends[i - 1]!;
    if (widen || this.#used + key.length > this.#codes.length)
      this.#reallocate(this.#used + key.length, widen || this.#wide);
    if (n === this.#ends.length) {
      const ends = new Int32Array(roomFor(n + 1));
      ends.set(this.#ends);
      this.#ends = ends;
    }
    if (at < this.#used) this.#codes.copyWithin(at + key.length, at, this.#used);
    this.#write(at, key);
    this.#used += key.length;
    const ends = this.#ends;
    ends.copyWithin(i + 1, i, n);
    ends[i] = at;
    for (let j = i; j <= n; j++) ends[j]! += key.length;
    this.#count = n + 1;
    if (i === n) this.#last = key;
  }

  /** Removes the entry at position `i`. */
  removeAt(i: number): void {
    const ends = this.#ends;
    const start = i === 0 ? 0 : ends[i - 1]!;
    const width = ends[i]! - start;
    this.#codes.copyWithin(start, start + width, this.#used);
    this.#used -= width;
    ends.copyWithin(i, i + 1, this.#count);
    this.#count--;
    for (let j = i; j < this.#count; j++) ends[j]! -= width;
    if (i === this.#count) this.#last = undefined;
  }

  /** Replaces the entry at position `i` with `key`, which sorts between its neighbours. */
  replaceAt(i: number, key: string): void {
    this.removeAt(i);
    this.insertAt(i, key);
  }

  /** Moves the upper half of the entries into a new chunk, which it returns. */
  split(): KeyChunk {
    const half = this.#count >> 1;
    const upper = new KeyChunk(this.#range(half, this.#count));
    this.#used = half === 0 ? 0 : this.#ends[half - 1]!;
    this.#count = half;
    this.#last = undefined;
    return upper;
  }

  #range(from: number, to: number): string[] {
    const keys = new Array<string>(to - from);
    for (let i = from; i < to; i++) keys[i - from] = this.at(i);
    return keys;
  }

  /** Writes `key`'s codes at code offset `at` (there is room). */
  #write(at: number, key: string): void {
    if (!this.#wide) {
      this.#bytes.write(key, at, 'latin1');
      return;
    }
    const codes = this.#codes;
    for (let j = 0; j < key.length; j++) codes[at + j] = key.charCodeAt(j);
  }

  /**
   * Moves the codes into new memory with room for `needed` codes, two bytes each if `wide` (an entry
   * with a character past Latin-1 turns a one-byte chunk into a two-byte one).
   */
  #reallocate(needed: number, wide: boolean): void {
    const bytes = allocate(roomFor(needed), wide);
    const codes = codesOf(bytes, wide);
    codes.set(this.#codes.subarray(0, this.#used));
    this.#bytes = bytes;
    this.#codes = codes;
    this.#wide = wide;
  }
}

/** Room for `n` codes or entries and a quarter more, so that most inserts fit. */
function roomFor(n: number): number {
  return n + (n >> 2) + 8;
}

/** Memory for `codes` codes, in a buffer of its own (not a slice of a shared pool it would keep alive). */
function allocate(codes: number, wide: boolean): Buffer {
  return Buffer.allocUnsafeSlow(wide ? 2 * codes : codes);
}

function codesOf(bytes: Buffer, wide: boolean): Codes {
  return wide ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1) : bytes;
}
