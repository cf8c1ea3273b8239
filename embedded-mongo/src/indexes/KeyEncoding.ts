import { binaryBytes, type ObjectIdLike, TypeClass, toNumber, typeClassOf } from '../bson/compareValues.js';

/*
 * Index keys as strings that sort, with JavaScript's `<`, exactly as `compareValues` orders the
 * values (MongoDB's KeyString does the same with bytes). An index entry is then one flat string:
 * no key array, no Date or ObjectId objects, nothing inside for the garbage collector to trace,
 * and a comparison is one native string comparison instead of a type dispatch per field.
 *
 * Every value's encoding starts with its type class and is prefix-free (no encoding is the start
 * of another), so encodings concatenate field after field and "the leading fields equal these" is
 * "the entry starts with their encoding". Structure and fixed-width parts (numbers, dates,
 * ObjectIds) use characters 0–255 so most entries stay one byte per character; string contents
 * keep their UTF-16 code units (the order `compareValues` gives strings), with 0, 1, U+FFFE and
 * U+FFFF escaped so that U+0000 can end a string and sort before any character of it.
 *
 * Snapshots hold encoded entries: a change to the encoding must bump INDEX_RECORD_FORMAT (indexRecord.ts).
 */

const END = 0;
const WIDE_CHARACTER = /[\u0100-\uffff]/;

/**
 * Whether `text` has a character past Latin-1: where strings are packed into buffers (index chunks,
 * a collection's document keys), such a string takes two bytes per character, others one.
 */
export function hasWideCharacter(text: string): boolean {
  return WIDE_CHARACTER.test(text);
}
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Collects one key's character codes. A descending field flips each code within its own alphabet
 * (structure within a byte, string contents within 16 bits): with prefix-free encodings that
 * reverses the order.
 */
class KeyEncoder {
  readonly codes: number[] = [];
  #descending = false;

  field(value: unknown, direction: number): void {
    this.#descending = direction < 0;
    this.#value(value ?? null);
  }

  /** A structural or fixed-width code, 0–255. */
  #byte(code: number): void {
    this.codes.push(this.#descending ? 0xff - code : code);
  }

  /** String contents, escaped and ended with a code below any of them. */
  text(text: string): void {
    const flip = this.#descending ? 0xffff : 0;
    const codes = this.codes;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 1 && c < 0xfffe) codes.push(flip ? flip - c : c);
      else if (c <= 1) codes.push(flip ? flip - 1 : 1, flip ? flip - (c + 1) : c + 1);
      else codes.push(flip ? flip - 0xfffe : 0xfffe, flip ? flip - (c - 0xfffd) : c - 0xfffd);
    }
    codes.push(flip ? flip - END : END);
  }

  #value(value: unknown): void {
    const cls = typeClassOf(value);
    this.#byte(cls);
    switch (cls) {
      case TypeClass.Null:
      case TypeClass.MinKey:
      case TypeClass.MaxKey:
        return;
      case TypeClass.Number:
        this.#double(toNumber(value));
        return;
      case TypeClass.String:
        this.text(typeof value === 'string' ? value : String(value));
        return;
      case TypeClass.Boolean:
        this.#byte(value ? 1 : 0);
        return;
      case TypeClass.Date:
        this.#double((value as Date).getTime());
        return;
      case TypeClass.ObjectId:
        this.#objectId(value as ObjectIdLike);
        return;
      case TypeClass.Binary: {
        const bytes = binaryBytes(value);
        // `compareValues` orders binary data by length first.
        this.#uint32(bytes.length);
        for (const byte of bytes) this.#byte(byte);
        return;
      }
      case TypeClass.Timestamp: {
        const ts = value as { t: number; i: number };
        this.#uint32(ts.t >>> 0);
        this.#uint32(ts.i >>> 0);
        return;
      }
      case TypeClass.RegExp:
        this.text(String(value));
        return;
      case TypeClass.Array:
        for (const element of value as unknown[]) this.#value(element ?? null);
        this.#byte(END);
        return;
      default: {
        // As `compareValues` orders objects: field by field, by type class, then name, then value.
        const object = value as Record<string, unknown>;
        for (const name of Object.keys(object)) {
          this.#byte(typeClassOf(object[name]));
          this.text(name);
          this.#value(object[name] ?? null);
        }
        this.#byte(END);
      }
    }
  }

  #objectId(id: ObjectIdLike): void {
    if (typeof id.i0 === 'number') {
      // bson 7 keeps the 12 bytes as four 24-bit words.
      for (const word of [id.i0, id.i1!, id.i2!, id.i3!]) {
        this.#byte((word >>> 16) & 0xff);
        this.#byte((word >>> 8) & 0xff);
        this.#byte(word & 0xff);
      }
      return;
    }
    const hex = id.toHexString();
    for (let i = 0; i < 24; i += 2) this.#byte(Number.parseInt(hex.slice(i, i + 2), 16));
  }

  #uint32(n: number): void {
    this.#byte((n >>> 24) & 0xff);
    this.#byte((n >>> 16) & 0xff);
    this.#byte((n >>> 8) & 0xff);
    this.#byte(n & 0xff);
  }

  /** Eight bytes that order as the numbers do: NaN first, then -Infinity … Infinity; -0 equals 0. */
  #double(n: number): void {
    if (Number.isNaN(n)) {
      for (let i = 0; i < 8; i++) this.#byte(0);
      return;
    }
    f64[0] = n === 0 ? 0 : n;
    const negative = (f64Bytes[littleEndian ? 7 : 0]! & 0x80) !== 0;
    for (let i = 0; i < 8; i++) {
      const byte = f64Bytes[littleEndian ? 7 - i : i]!;
      // Negative numbers: every bit flipped (a larger magnitude sorts first); others: the sign bit set.
      this.#byte(negative ? 0xff - byte : i === 0 ? byte | 0x80 : byte);
    }
  }
}

const CHUNK = 4096;

/** One flat string (what `String.fromCharCode` and `join` build), never a rope of pieces. */
function toText(codes: number[]): string {
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes);
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i += CHUNK)
    parts.push(String.fromCharCode.apply(null, codes.slice(i, i + CHUNK)));
  return parts.join('');
}

/**
 * The encoding of an index key (one value per field, `directions` 1 or -1 per field); for a
 * shorter `values`, the encoding of that leading part, which every longer key equal on it starts with.
 */
export function encodeKey(values: unknown[], directions: number[]): string {
  const encoder = new KeyEncoder();
  for (let i = 0; i < values.length; i++) encoder.field(values[i], directions[i]!);
  return toText(encoder.codes);
}

/** The start of every encoding of a value of type class `cls` in a field of direction `direction`. */
export function typeClassPrefix(cls: number, direction: number): string {
  return String.fromCharCode(direction < 0 ? 0xff - cls : cls);
}

/**
 * What an index stores for one entry: the key's encoding, then the document key (escaped and
 * ended like a string, so entries of equal keys sort by document key as JavaScript compares
 * them), then that part's length in three characters, from which `entryId` finds it again. The
 * length is never compared: the ended document key already decides between two entries.
 */
export function entryKey(encodedKey: string, id: string): string {
  // `join` builds one flat string; `+` would keep a rope of pieces (more objects per entry).
  if (!needsEscape(id)) return [encodedKey, id, '\u0000', lengthChars(id.length + 1)].join('');
  const encoder = new KeyEncoder();
  encoder.text(id);
  const escaped = toText(encoder.codes);
  return [encodedKey, escaped, lengthChars(escaped.length)].join('');
}

/** Whether `text` holds a character string contents escape (0, 1, U+FFFE, U+FFFF). */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 1 || c >= 0xfffe) return true;
  }
  return false;
}

function lengthChars(n: number): string {
  if (n > 0xffffff) throw new RangeError('document key too long for an index entry');
  return String.fromCharCode(n >>> 16, (n >>> 8) & 0xff, n & 0xff);
}

/** The encoded key of an entry made by `entryKey` (the entry without its document key). */
export function entryEncodedKey(entry: string): string {
  const end = entry.length - 3;
  const n = (entry.charCodeAt(end) << 16) | (entry.charCodeAt(end + 1) << 8) | entry.charCodeAt(end + 2);
  return entry.slice(0, end - n);
}

/** The document key of an entry made by `entryKey`. */
export function entryId(entry: string): string {
  const end = entry.length - 3;
  const n = (entry.charCodeAt(end) << 16) | (entry.charCodeAt(end + 1) << 8) | entry.charCodeAt(end + 2);
  const escaped = entry.slice(end - n, end - 1);
  // An escape starts with 1 or U+FFFE; the terminator (0) was left out of `escaped`.
  if (!needsEscape(escaped)) return escaped;
  let id = '';
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped.charCodeAt(i);
    if (c === 1) id += String.fromCharCode(escaped.charCodeAt(++i) - 1);
    else if (c === 0xfffe) id += String.fromCharCode(escaped.charCodeAt(++i) + 0xfffd);
    else id += escaped[i];
  }
  return id;
}

/** Where `entry` lies relative to the entries starting with `prefix`: <0 before, 0 among, >0 after. */
export function comparePrefix(entry: string, prefix: string): number {
  if (entry.startsWith(prefix)) return 0;
  return entry < prefix ? -1 : 1;
}
