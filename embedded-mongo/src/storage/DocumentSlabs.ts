/** Bytes of a collection's first slab: most collections are small. Each next one is twice as large… */
const FIRST_SLAB_BYTES = 64 * 1024;
/** …up to this. */
const SLAB_BYTES = 4 * 1024 * 1024;
/** A document larger than this gets a buffer of its own, so slabs are not left mostly empty. */
const OWN_BUFFER_BYTES = SLAB_BYTES / 8;
/** Reclaiming starts once this many bytes of the slabs are dead (replaced or deleted documents)… */
const RECLAIM_MIN_DEAD_BYTES = 32 * 1024 * 1024;
/** …and they are this share of all slab bytes. */
const RECLAIM_DEAD_SHARE = 0.25;
/** Slabs with less than this share of live bytes have their documents moved out, and are dropped… */
const SPARSE_SLAB_SHARE = 0.5;
/** …the sparsest first, up to this many live bytes moved at a time, so that no write waits long for it. */
const RECLAIM_MOVE_BYTES = 16 * 1024 * 1024;
/** The slab of a free slot. */
const FREE = -1;

/**
 * A collection's documents, by collection key, their bytes copied into large shared slabs. A
 * million documents held as a million Buffers were, with their keys, three million objects for
 * every major collection to mark (most of the store's heap); here they are a Map from key to slot
 * number, and a few typed arrays. `get` hands out a view, which stays valid and unchanged: slab
 * bytes are written once, and a slab whose documents are moved out is dropped, not reused, so it
 * lives on as long as a view of it does.
 * Iteration is in insertion order and live, as a Map's: a document added during iteration is met.
 */
export class DocumentSlabs implements ReadonlyMap<string, Buffer> {
  readonly #slots = new Map<string, number>();
  /** Per slot: its slab, the offset in it and the length of the document. */
  #slabOf = new Int32Array(1024);
  #offsetOf = new Int32Array(1024);
  #lengthOf = new Int32Array(1024);
  #slotCount = 0;
  /** Slots freed by deletes, for reuse. */
  #freeSlots: number[] = [];
  #slabs: Array<Buffer | undefined> = [];
  /** Bytes written into each slab, and those of them still live. */
  #written: number[] = [];
  #live: number[] = [];
  #freeSlabIds: number[] = [];
  /** The slab being filled, and its first unwritten byte. */
  #active = -1;
  #fill = 0;
  #nextSlabBytes = FIRST_SLAB_BYTES;
  #slabBytes = 0;
  #writtenBytes = 0;
  #liveBytes = 0;
  /** Dead bytes at which reclaiming is next tried. */
  #reclaimAt = RECLAIM_MIN_DEAD_BYTES;

  get size(): number {
    return this.#slots.size;
  }

  /** Bytes held by the slabs: live, dead and not yet written (for statistics and tests). */
  get slabBytes(): number {
    return this.#slabBytes;
  }

  /** Bytes of the documents stored. */
  get liveBytes(): number {
    return this.#liveBytes;
  }

  has(key: string): boolean {
    return this.#slots.has(key);
  }

  get(key: string): Buffer | undefined {
    const slot = this.#slots.get(key);
    return slot === undefined ? undefined : this.#view(slot);
  }

  /** Stores a copy of `raw` under `key`, replacing any document there (which keeps its place in the order). */
  set(key: string, raw: Uint8Array): this {
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      slot = this.#freeSlots.pop() ?? this.#newSlot();
      this.#slots.set(key, slot);
    } else {
      this.#release(slot);
    }
    this.#place(slot, raw);
    this.#reclaimIfWorthIt();
    return this;
  }

  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#release(slot);
    this.#slabOf[slot] = FREE;
    this.#freeSlots.push(slot);
    this.#reclaimIfWorthIt();
    return true;
  }

  *entries(): MapIterator<[string, Buffer]> {
    for (const [key, slot] of this.#slots) yield [key, this.#view(slot)];
  }

  keys(): MapIterator<string> {
    return this.#slots.keys();
  }

  *values(): MapIterator<Buffer> {
    for (const slot of this.#slots.values()) yield this.#view(slot);
  }

  [Symbol.iterator](): MapIterator<[string, Buffer]> {
    return this.entries();
  }

  forEach(
    callback: (value: Buffer, key: string, map: ReadonlyMap<string, Buffer>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, raw] of this.entries()) callback.call(thisArg, raw, key, this);
  }

  #view(slot: number): Buffer {
    const offset = this.#offsetOf[slot]!;
    return this.#slabs[this.#slabOf[slot]!]!.subarray(offset, offset + this.#lengthOf[slot]!);
  }

  #newSlot(): number {
    if (this.#slotCount === this.#slabOf.length) {
      const grown = (array: Int32Array) => {
        const bigger = new Int32Array(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.#slabOf = grown(this.#slabOf);
      this.#offsetOf = grown(this.#offsetOf);
      this.#lengthOf = grown(this.#lengthOf);
    }
    return this.#slotCount++;
  }

  /** Copies `raw` into the active slab (or a buffer of its own) and points `slot` at it. */
  #place(slot: number, raw: Uint8Array): void {
    const length = raw.length;
    let slab: number;
    let offset = 0;
    if (length > OWN_BUFFER_BYTES) {
      slab = this.#addSlab(length);
    } else {
      if (this.#active < 0 || this.#fill + length > this.#slabs[this.#active]!.length) {
        const full = this.#active;
        const bytes = Math.max(this.#nextSlabBytes, length);
        this.#nextSlabBytes = Math.min(SLAB_BYTES, 2 * bytes);
        this.#active = this.#addSlab(bytes);
        this.#fill = 0;
        if (full >= 0 && this.#live[full] === 0) this.#dropSlab(full);
      }
      slab = this.#active;
      offset = this.#fill;
      this.#fill += length;
    }
    this.#slabs[slab]!.set(raw, offset);
    this.#written[slab]! += length;
    this.#live[slab]! += length;
    this.#writtenBytes += length;
    this.#liveBytes += length;
    this.#slabOf[slot] = slab;
    this.#offsetOf[slot] = offset;
    this.#lengthOf[slot] = length;
  }

  #addSlab(bytes: number): number {
    const id = this.#freeSlabIds.pop() ?? this.#slabs.length;
    // Of its own, not from Node's shared pool, so that dropping it frees it.
    this.#slabs[id] = Buffer.allocUnsafeSlow(bytes);
    this.#written[id] = 0;
    this.#live[id] = 0;
    this.#slabBytes += bytes;
    return id;
  }

  /** The bytes of `slot`'s document are dead now; a slab with nothing live left is dropped at once. */
  #release(slot: number): void {
    const slab = this.#slabOf[slot]!;
    const length = this.#lengthOf[slot]!;
    this.#live[slab]! -= length;
    this.#liveBytes -= length;
    if (this.#live[slab] === 0 && slab !== this.#active) this.#dropSlab(slab);
  }

  /** Forgets a slab with nothing live in it (views handed out keep its memory as long as they live). */
  #dropSlab(slab: number): void {
    this.#slabBytes -= this.#slabs[slab]!.length;
    this.#writtenBytes -= this.#written[slab]!;
    this.#slabs[slab] = undefined;
    this.#written[slab] = 0;
    this.#freeSlabIds.push(slab);
  }

  /**
   * Once dead bytes are many, moves the documents of sparse slabs into the active one and drops those
   * slabs: one pass over the slot table, and a copy of the live bytes moved.
   */
  #reclaimIfWorthIt(): void {
    const dead = this.#writtenBytes - this.#liveBytes;
    if (dead < this.#reclaimAt || dead < RECLAIM_DEAD_SHARE * this.#writtenBytes) return;
    const candidates: number[] = [];
    for (let slab = 0; slab < this.#slabs.length; slab++) {
      const buffer = this.#slabs[slab];
      if (buffer && slab !== this.#active && this.#live[slab]! < SPARSE_SLAB_SHARE * buffer.length)
        candidates.push(slab);
    }
    candidates.sort((a, b) => this.#live[a]! - this.#live[b]!);
    const sparse = new Uint8Array(this.#slabs.length);
    let moving = 0;
    let chosen = 0;
    for (const slab of candidates) {
      if (moving + this.#live[slab]! > RECLAIM_MOVE_BYTES && chosen > 0) break;
      sparse[slab] = 1;
      moving += this.#live[slab]!;
      chosen++;
    }
    const slabOf = this.#slabOf;
    if (chosen > 0) {
      for (let slot = 0; slot < this.#slotCount; slot++) {
        const slab = slabOf[slot]!;
        if (slab === FREE || sparse[slab] !== 1) continue;
        const raw = this.#view(slot);
        this.#live[slab]! -= raw.length;
        this.#liveBytes -= raw.length;
        this.#place(slot, raw);
      }
      for (let slab = 0; slab < sparse.length; slab++) if (sparse[slab] === 1) this.#dropSlab(slab);
    }
    // With sparse slabs left over, the next pass comes soon; dead bytes spread over slabs still mostly live
    // are left until as many more have died.
    const left = candidates.length > chosen;
    this.#reclaimAt = this.#writtenBytes - this.#liveBytes + (left ? 1024 * 1024 : RECLAIM_MIN_DEAD_BYTES);
  }
}
