import { type Document, ObjectId } from 'bson';
import { documentKey } from './documentKey.js';
import { cstringEnd, valueSize } from './rawDocuments.js';
import { deserializeStored } from './serialize.js';

/**
 * Reads single top-level fields out of stored BSON without decoding the whole document:
 * index maintenance and recovery only need `_id` and the indexed fields of a ~4 KiB document.
 */

const ID_NAME = Buffer.from('_id', 'latin1');

function nameIs(raw: Buffer, start: number, end: number, name: Buffer): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (raw[start + i] !== name[i]) return false;
  return true;
}

/** Offset of the top-level element named `name` (its type byte), or -1. */
export function findTopLevel(raw: Buffer, name: string): number {
  const wanted = name === '_id' ? ID_NAME : Buffer.from(name, 'utf8');
  const end = raw.readInt32LE(0) - 1;
  let at = 4;
  while (at < end) {
    const nameEnd = cstringEnd(raw, at + 1);
    if (nameIs(raw, at + 1, nameEnd, wanted)) return at;
    at = nameEnd + 1 + valueSize(raw, raw[at]!, nameEnd + 1);
  }
  return -1;
}

/** Byte length of the element starting at `at`. */
function elementSize(raw: Buffer, at: number): number {
  const valueAt = cstringEnd(raw, at + 1) + 1;
  return valueAt + valueSize(raw, raw[at]!, valueAt) - at;
}

/**
 * A document made of the top-level elements of `raw` whose names are in `names` (names as
 * UTF-8 bytes), in their stored order: small enough to decode for index keys.
 */
export function pickTopLevel(raw: Buffer, names: readonly Buffer[]): Buffer {
  const end = raw.readInt32LE(0) - 1;
  const parts: Buffer[] = [];
  let size = 5;
  let at = 4;
  while (at < end) {
    const nameEnd = cstringEnd(raw, at + 1);
    const next = nameEnd + 1 + valueSize(raw, raw[at]!, nameEnd + 1);
    for (const name of names) {
      if (nameIs(raw, at + 1, nameEnd, name)) {
        parts.push(raw.subarray(at, next));
        size += next - at;
        break;
      }
    }
    at = next;
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let pos = 4;
  for (const part of parts) pos += part.copy(out, pos);
  out[pos] = 0;
  return out;
}

/** `{_id: …}` made of the first element of a stored document (`_id` is always first). */
export function idDocument(raw: Buffer): Buffer {
  const size = elementSize(raw, 4);
  const out = Buffer.allocUnsafe(size + 5);
  out.writeInt32LE(size + 5, 0);
  raw.copy(out, 4, 4, 4 + size);
  out[size + 4] = 0;
  return out;
}

/** The `_id` value of a stored document. */
export function rawIdValue(raw: Buffer): unknown {
  return deserializeStored(idDocument(raw))._id;
}

const HEX = Buffer.from('0123456789abcdef');
const objectIdKeyBytes = Buffer.alloc(25, 'o');

/**
 * `documentKey` of the ObjectId at `at` in `raw`, as one flat string: `o${hex}` would be a rope of
 * two strings, and a collection keeps a key for each of its documents, to be marked by every major
 * collection.
 */
function objectIdKey(raw: Buffer, at: number): string {
  for (let i = 0; i < 12; i++) {
    const byte = raw[at + i]!;
    objectIdKeyBytes[1 + 2 * i] = HEX[byte >> 4]!;
    objectIdKeyBytes[2 + 2 * i] = HEX[byte & 15]!;
  }
  return objectIdKeyBytes.toString('latin1');
}

/** The collection key (see documentKey) of a stored document, straight from its bytes when simple. */
export function rawIdKey(raw: Buffer): string {
  const type = raw[4];
  if (type === 0x07 && raw[5] === 0x5f && raw[6] === 0x69 && raw[7] === 0x64 && raw[8] === 0) {
    return objectIdKey(raw, 9);
  }
  if (type === 0x02 && raw[8] === 0) {
    const length = raw.readInt32LE(9);
    return `s${raw.toString('utf8', 13, 13 + length - 1)}`;
  }
  return documentKey(rawIdValue(raw));
}

const NOT_SIMPLE = Symbol('not simple');

/** The value of a scalar element as BSON.deserialize (promoteValues) gives it, or NOT_SIMPLE. */
function simpleValue(raw: Buffer, type: number, at: number): unknown {
  switch (type) {
    case 0x01:
      return raw.readDoubleLE(at);
    case 0x02:
      return raw.toString('utf8', at + 4, at + 4 + raw.readInt32LE(at) - 1);
    case 0x07:
      return new ObjectId(Uint8Array.prototype.slice.call(raw, at, at + 12));
    case 0x08:
      return raw[at] === 1;
    case 0x09:
      return new Date(raw.readInt32LE(at + 4) * 0x100000000 + raw.readUInt32LE(at));
    case 0x0a:
      return null;
    case 0x10:
      return raw.readInt32LE(at);
    default:
      return NOT_SIMPLE;
  }
}

/**
 * The top-level fields `names` of a stored document as a small object: read straight from
 * the bytes when they are scalars (the common case for indexed fields), otherwise decoded.
 */
export function decodePicked(raw: Buffer, names: readonly Buffer[]): Document {
  const out: Document = {};
  let found = 0;
  const end = raw.readInt32LE(0) - 1;
  let at = 4;
  while (at < end && found < names.length) {
    const type = raw[at]!;
    const nameEnd = cstringEnd(raw, at + 1);
    const valueAt = nameEnd + 1;
    for (const name of names) {
      if (!nameIs(raw, at + 1, nameEnd, name)) continue;
      const value = simpleValue(raw, type, valueAt);
      if (value === NOT_SIMPLE) return deserializeStored(pickTopLevel(raw, names));
      out[raw.toString('utf8', at + 1, nameEnd)] = value;
      found++;
      break;
    }
    at = valueAt + valueSize(raw, type, valueAt);
  }
  return out;
}
