import { hasWideCharacter } from '../indexes/KeyEncoding.js';
import { hashKey, SlotHashTable } from './SlotHashTable.js';

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
/** The slab of a free slot, and a deleted slot's place in the order. */
const FREE = -1;

/**
 * A collection's documents, by collection key, their bytes copied into large shared slabs, each
 * preceded by its key. A million documents held as a million Buffers in a Map were, with their keys,
 * three million objects for every major collection to mark (most of the store's heap); here they
 * are a few typed arrays: a hash table from key to slot number (SlotHashTable), and per slot its
 * slab, offset and lengths. `get` hands out a view, which stays valid and unchanged: slab bytes are
 * written once, and a slab whose documents are moved out is dropped, not reused, so it lives on as
 * long as a view of it does.
 * Iteration is in insertion order and live, as a Map's: a document added during iteration is met.
 */
export class DocumentSlabs implements ReadonlyMap<string, Buffer> {
  readonly #table = new SlotHashTable((slot, key) => this.#holdsKey(slot, key));
  /** Per slot: its slab, the offset in it and the length of the document… */
  #slabOf = new Int32Array(1024);
  #offsetOf = new Int32Array(1024);
  #lengthOf = new Int32Array(1024);
  /** …the bytes of its key, just before the document, and whether they are UTF-16 (else Latin-1)… */
  #keyLengthOf = new Int32Array(1024);
  #wideKey = new Uint8Array(1024);
  /** …and its place in `#order`. */
  #orderAt = new Int32Array(1024);
  #slotCount = 0;
  /** Slots freed by deletes, for reuse. */
  #freeSlots: number[] = [];
  /**
   * Slots in insertion order, FREE where one was deleted, with the sequence number each was given:
   * holes are squeezed out once they are half, and an iteration under way finds its place again by
   * sequence number.
   */
  #order = new Int32Array(1024);
  #orderSeq = new Float64Array(1024);
  #orderLength = 0;
  #orderHoles = 0;
  #nextSeq = 0;
  /** Bumped whenever the holes are squeezed out, which moves places in `#order`. */
  #orderEpoch = 0;
  #slabs: Array<Buffer | undefined> = [];
  /** Bytes written into each slab (keys and documents), and those of them still live. */
  #written: number[] = [];
  #live: number[] = [];
  #freeSlabIds: number[] = [];
  /** The slab being filled, and its first unwritten byte. */
  #active = -1;
  #fill = 0;
  #nextSlabBytes = FIRST_SLAB_BYTES;
  #slabBytes = 0;
  #writtenBytes = 0;
  #liveRecordBytes = 0;
  #liveBytes = 0;
  /** Dead bytes at which reclaiming is next tried. */
  #reclaimAt = RECLAIM_MIN_DEAD_BYTES;

  get size(): number {
    return this.#table.size;
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
    return this.#table.find(key, hashKey(key)) >= 0;
  }

  get(key: string): Buffer | undefined {
    const slot = this.#table.find(key, hashKey(key));
    return slot < 0 ? undefined : this.#view(slot);
  }

  /** Stores a copy of `raw` under `key`, replacing any document there (which keeps its place in the order). */
  set(key: string, raw: Uint8Array): this {
    const hash = hashKey(key);
    let slot = this.#table.find(key, hash);
    if (slot < 0) {
      slot = this.#freeSlots.pop() ?? this.#newSlot();
      this.#appendToOrder(slot);
      this.#place(slot, key, raw);
      this.#table.add(hash, slot);
    } else {
      this.#release(slot);
      this.#place(slot, key, raw);
    }
    this.#reclaimIfWorthIt();
    return this;
  }

  delete(key: string): boolean {
    const slot = this.#table.remove(key, hashKey(key));
    if (slot < 0) return false;
    this.#release(slot);
    this.#slabOf[slot] = FREE;
    this.#removeFromOrder(slot);
    this.#freeSlots.push(slot);
    this.#reclaimIfWorthIt();
    return true;
  }

  *entries(): MapIterator<[string, Buffer]> {
    for (const slot of this.#slotsInOrder()) yield [this.#keyOf(slot), this.#view(slot)];
  }

  *keys(): MapIterator<string> {
    for (const slot of this.#slotsInOrder()) yield this.#keyOf(slot);
  }

  *values(): MapIterator<Buffer> {
    for (const slot of this.#slotsInOrder()) yield this.#view(slot);
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

  #keyOf(slot: number): string {
    const end = this.#offsetOf[slot]!;
    const start = end - this.#keyLengthOf[slot]!;
    return this.#slabs[this.#slabOf[slot]!]!.toString(this.#wideKey[slot] ? 'utf16le' : 'latin1', start, end);
  }

  #holdsKey(slot: number, key: string): boolean {
    const slab = this.#slabs[this.#slabOf[slot]!]!;
    const end = this.#offsetOf[slot]!;
    const length = this.#keyLengthOf[slot]!;
    if (this.#wideKey[slot]) {
      if (length !== 2 * key.length) return false;
      for (let i = 0, at = end - length; i < key.length; i++, at += 2) {
        if ((slab[at]! | (slab[at + 1]! << 8)) !== key.charCodeAt(i)) return false;
      }
      return true;
    }
    if (length !== key.length) return false;
    for (let i = 0, at = end - length; i < length; i++, at++) {
      if (slab[at] !== key.charCodeAt(i)) return false;
    }
    return true;
  }

  /** The slots in insertion order, live: see `#order`. */
  *#slotsInOrder(): Generator<number> {
    let epoch = this.#orderEpoch;
    let at = 0;
    let lastSeq = -1;
    for (;;) {
      if (epoch !== this.#orderEpoch) {
        epoch = this.#orderEpoch;
        at = this.#firstOrderAfter(lastSeq);
      }
      if (at >= this.#orderLength) return;
      const slot = this.#order[at]!;
      const seq = this.#orderSeq[at]!;
      at++;
      if (slot === FREE) continue;
      lastSeq = seq;
      yield slot;
    }
  }

  /** The first place in `#order` whose sequence number is past `seq`. */
  #firstOrderAfter(seq: number): number {
    let lo = 0;
    let hi = this.#orderLength;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#orderSeq[mid]! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #appendToOrder(slot: number): void {
    if (this.#orderLength === this.#order.length) {
      this.#order = grown(this.#order);
      this.#orderSeq = grown(this.#orderSeq);
    }
    this.#order[this.#orderLength] = slot;
    this.#orderSeq[this.#orderLength] = this.#nextSeq++;
    this.#orderAt[slot] = this.#orderLength++;
  }

  #removeFromOrder(slot: number): void {
    this.#order[this.#orderAt[slot]!] = FREE;
    if (++this.#orderHoles * 2 < this.#orderLength || this.#orderLength < 1024) return;
    // Squeezed in place: sequence numbers stay ascending.
    let kept = 0;
    for (let at = 0; at < this.#orderLength; at++) {
      const live = this.#order[at]!;
      if (live === FREE) continue;
      this.#order[kept] = live;
      this.#orderSeq[kept] = this.#orderSeq[at]!;
      this.#orderAt[live] = kept++;
    }
    this.#orderLength = kept;
    this.#orderHoles = 0;
    this.#orderEpoch++;
  }

  #newSlot(): number {
    if (this.#slotCount === this.#slabOf.length) {
      this.#slabOf = grown(this.#slabOf);
      this.#offsetOf = grown(this.#offsetOf);
      this.#lengthOf = grown(this.#lengthOf);
      this.#keyLengthOf = grown(this.#keyLengthOf);
      this.#wideKey = grown(this.#wideKey);
      this.#orderAt = grown(this.#orderAt);
    }
    return this.#slotCount++;
  }

  /**
   * Copies `key` and `raw` into the active slab (or a buffer of their own) and points `slot` at them.
   * `key` is a string, or the bytes of one already encoded as `slot`'s key is (when moving it).
   */
  #place(slot: number, key: string | Uint8Array, raw: Uint8Array): void {
    let keyLength: number;
    if (typeof key === 'string') {
      // A key with a character past Latin-1 is kept as UTF-16.
      const wide = hasWideCharacter(key);
      this.#wideKey[slot] = wide ? 1 : 0;
      keyLength = wide ? 2 * key.length : key.length;
    } else {
      keyLength = key.length;
    }
    const length = keyLength + raw.length;
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
    const buffer = this.#slabs[slab]!;
    if (typeof key !== 'string') buffer.set(key, offset);
    else buffer.write(key, offset, keyLength, this.#wideKey[slot] ? 'utf16le' : 'latin1');
    buffer.set(raw, offset + keyLength);
    this.#written[slab]! += length;
    this.#live[slab]! += length;
    this.#writtenBytes += length;
    this.#liveRecordBytes += length;
    this.#liveBytes += raw.length;
    this.#slabOf[slot] = slab;
    this.#offsetOf[slot] = offset + keyLength;
    this.#lengthOf[slot] = raw.length;
    this.#keyLengthOf[slot] = keyLength;
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

  /** The bytes of `slot`'s key and document are dead now; a slab with nothing live left is dropped at once. */
  #release(slot: number): void {
    const slab = this.#slabOf[slot]!;
    const length = this.#keyLengthOf[slot]! + this.#lengthOf[slot]!;
    this.#live[slab]! -= length;
    this.#liveRecordBytes -= length;
    this.#liveBytes -= this.#lengthOf[slot]!;
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
    const dead = this.#writtenBytes - this.#liveRecordBytes;
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
        const buffer = this.#slabs[slab]!;
        const offset = this.#offsetOf[slot]!;
        const key = buffer.subarray(offset - this.#keyLengthOf[slot]!, offset);
        const raw = buffer.subarray(offset, offset + this.#lengthOf[slot]!);
        // Not #release: the slab is dropped below, once all of its documents are out.
        this.#live[slab]! -= key.length + raw.length;
        this.#liveRecordBytes -= key.length + raw.length;
        this.#liveBytes -= raw.length;
        this.#place(slot, key, raw);
      }
      for (let slab = 0; slab < sparse.length; slab++) if (sparse[slab] === 1) this.#dropSlab(slab);
    }
    // With sparse slabs left over, the next pass comes soon; dead bytes spread over slabs still mostly live
    // are left until as many more have died.
    const left = candidates.length > chosen;
    this.#reclaimAt =
      this.#writtenBytes - this.#liveRecordBytes + (left ? 1024 * 1024 : RECLAIM_MIN_DEAD_BYTES);
  }
}

/** A copy of `array` twice as long. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
