/** Empty table cells hold 0; a cell holding slot s holds s + 1. */
const EMPTY = 0;
const MIN_CAPACITY = 64;
/** The table doubles once more than this share of its cells is taken. */
const MAX_LOAD = 0.7;

/** The hash of a string key: FNV-1a over its UTF-16 code units, then mixed so nearby keys spread. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x7feb352d);
  return hash ^ (hash >>> 15);
}

/**
 * A hash table from string keys to slot numbers held in two typed arrays (open addressing, linear
 * probing, deletion by backward shift, so no tombstones pile up). It keeps no keys: the owner keeps each
 * slot's key and answers whether a slot holds a given one. A million keys cost two arrays here, where a
 * Map would hold a million strings and a table of pointers for every major collection to mark.
 */
export class SlotHashTable {
  readonly #holdsKey: (slot: number, key: string) => boolean;
  /** Per cell: the slot + 1 (0: empty), and the hash of its key. */
  #cells = new Int32Array(MIN_CAPACITY);
  #hashes = new Int32Array(MIN_CAPACITY);
  #mask = MIN_CAPACITY - 1;
  #size = 0;

  /** `holdsKey(slot, key)`: whether the owner's `slot` is that of `key`. */
  constructor(holdsKey: (slot: number, key: string) => boolean) {
    this.#holdsKey = holdsKey;
  }

  get size(): number {
    return this.#size;
  }

  /** The slot of `key` (whose hashKey is `hash`), or -1. */
  find(key: string, hash: number): number {
    const at = this.#cellOf(key, hash);
    return at < 0 ? -1 : this.#cells[at]! - 1;
  }

  /** Adds `slot` under `hash`; its key must not be in the table yet. */
  add(hash: number, slot: number): void {
    if (this.#size + 1 > MAX_LOAD * this.#cells.length) this.#resize(this.#cells.length * 2);
    this.#place(hash, slot + 1);
    this.#size++;
  }

  /** Removes `key` (whose hashKey is `hash`); returns its slot, or -1 when it was not there. */
  remove(key: string, hash: number): number {
    const at = this.#cellOf(key, hash);
    if (at < 0) return -1;
    const cells = this.#cells;
    const hashes = this.#hashes;
    const mask = this.#mask;
    const slot = cells[at]! - 1;
    // Backward shift: later cells of the run move into the hole when their home is not after it.
    let hole = at;
    for (let next = (hole + 1) & mask; cells[next] !== EMPTY; next = (next + 1) & mask) {
      const home = hashes[next]! & mask;
      const fromHole = (next - hole) & mask;
      const fromHome = (next - home) & mask;
      if (fromHome >= fromHole) {
        cells[hole] = cells[next]!;
        hashes[hole] = hashes[next]!;
        hole = next;
      }
    }
    cells[hole] = EMPTY;
    this.#size--;
    return slot;
  }

  /** The cell holding `key` (whose hashKey is `hash`), or -1. */
  #cellOf(key: string, hash: number): number {
    const cells = this.#cells;
    const hashes = this.#hashes;
    const mask = this.#mask;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const cell = cells[at]!;
      if (cell === EMPTY) return -1;
      if (hashes[at] === hash && this.#holdsKey(cell - 1, key)) return at;
    }
  }

  #place(hash: number, cell: number): void {
    const mask = this.#mask;
    let at = hash & mask;
    while (this.#cells[at] !== EMPTY) at = (at + 1) & mask;
    this.#cells[at] = cell;
    this.#hashes[at] = hash;
  }

  #resize(capacity: number): void {
    const cells = this.#cells;
    const hashes = this.#hashes;
    this.#cells = new Int32Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let at = 0; at < cells.length; at++) if (cells[at] !== EMPTY) this.#place(hashes[at]!, cells[at]!);
  }
}
