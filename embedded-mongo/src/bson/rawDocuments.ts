import type { ObjectId } from 'bson';

/**
 * Byte-level access to documents inside an already-received BSON command, so inserted
 * documents can be journaled as the client sent them instead of being serialized again.
 */

/** Offset of the NUL ending the cstring that starts at `at`. */
export function cstringEnd(buf: Buffer, at: number): number {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new RangeError('unterminated cstring');
  return end;
}

/** Byte size of the value of BSON type `type` starting at `at`. */
export function valueSize(buf: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return 8;
    case 0x02:
    case 0x0d:
    case 0x0e:
      return 4 + buf.readInt32LE(at);
    case 0x03:
    case 0x04:
    case 0x0f:
      return buf.readInt32LE(at);
    case 0x05:
      return 5 + buf.readInt32LE(at);
    case 0x06:
    case 0x0a:
    case 0xff:
    case 0x7f:
      return 0;
    case 0x07:
      return 12;
    case 0x08:
      return 1;
    case 0x0b: {
      const first = cstringEnd(buf, at);
      return cstringEnd(buf, first + 1) + 1 - at;
    }
    case 0x0c:
      return 4 + buf.readInt32LE(at) + 12;
    case 0x10:
      return 4;
    case 0x13:
      return 16;
    default:
      throw new RangeError(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** Slices of each embedded document of a top-level array field, or undefined if absent or odd. */
export function rawArrayDocuments(doc: Buffer, field: string): Buffer[] | undefined {
  try {
    const end = doc.readInt32LE(0) - 1;
    let at = 4;
    while (at < end) {
      const type = doc[at]!;
      const nameEnd = cstringEnd(doc, at + 1);
      const name = doc.toString('utf8', at + 1, nameEnd);
      const valueAt = nameEnd + 1;
      const size = valueSize(doc, type, valueAt);
      if (name === field) {
        if (type !== 0x04) return undefined;
        return arrayElements(doc.subarray(valueAt, valueAt + size));
      }
      at = valueAt + size;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function arrayElements(array: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  const end = array.readInt32LE(0) - 1;
  let at = 4;
  while (at < end) {
    const type = array[at]!;
    if (type !== 0x03) return undefined;
    const valueAt = cstringEnd(array, at + 1) + 1;
    const size = array.readInt32LE(valueAt);
    if (size < 5 || valueAt + size > array.length) return undefined;
    out.push(array.subarray(valueAt, valueAt + size));
    at = valueAt + size;
  }
  return out;
}

/** A copy of `raw` with `_id: id` as its first field (what mongod does for a document without `_id`). */
export function prependObjectId(raw: Buffer, id: ObjectId): Buffer {
  const out = Buffer.allocUnsafe(raw.length + 17);
  out.writeInt32LE(raw.length + 17, 0);
  out[4] = 0x07;
  out.write('_id\0', 5, 'latin1');
  out.set(id.id, 9);
  raw.copy(out, 21, 4);
  return out;
}

/**
 * `raw` with its `_id` element moved to the front (mongod stores `_id` first), or `raw`
 * itself when `_id` already leads; undefined if the bytes cannot be walked.
 */
export function rawWithIdFirst(raw: Buffer): Buffer | undefined {
  try {
    const end = raw.readInt32LE(0) - 1;
    let at = 4;
    while (at < end) {
      const type = raw[at]!;
      const nameEnd = cstringEnd(raw, at + 1);
      const valueAt = nameEnd + 1;
      const next = valueAt + valueSize(raw, type, valueAt);
      if (nameEnd - at - 1 === 3 && raw.toString('latin1', at + 1, nameEnd) === '_id') {
        if (at === 4) return raw;
        return Buffer.concat([
          raw.subarray(0, 4),
          raw.subarray(at, next),
          raw.subarray(4, at),
          raw.subarray(next),
        ]);
      }
      at = next;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
