import { isUtf8 } from 'node:buffer';

/**
 * Structural check of client-sent BSON (lengths, terminators, types, UTF-8), so inserted
 * documents can be stored as received without decoding them into objects first.
 */

const MAX_DEPTH = 200;

class BsonFault extends Error {}

function checkUtf8(buf: Buffer, start: number, end: number): void {
  // Most names and values are ASCII; a byte loop avoids allocating a view for them.
  if (end - start <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return;
  }
  if (!isUtf8(buf.subarray(start, end))) throw new BsonFault('invalid UTF-8');
}

function cstring(buf: Buffer, at: number, end: number): number {
  // Field names are short: a byte loop finds the NUL and sees non-ASCII in one pass.
  let ascii = true;
  let nul = at;
  while (nul < end && buf[nul] !== 0) {
    if (buf[nul]! >= 0x80) ascii = false;
    nul++;
  }
  if (nul >= end) throw new BsonFault('unterminated cstring');
  if (!ascii && !isUtf8(buf.subarray(at, nul))) throw new BsonFault('invalid UTF-8');
  return nul;
}

function string(buf: Buffer, at: number, end: number): number {
  if (at + 4 > end) throw new BsonFault('truncated string');
  const length = buf.readInt32LE(at);
  if (length < 1 || at + 4 + length > end || buf[at + 4 + length - 1] !== 0)
    throw new BsonFault('bad string length');
  checkUtf8(buf, at + 4, at + 4 + length - 1);
  return 4 + length;
}

function fixed(at: number, size: number, end: number): number {
  if (at + size > end) throw new BsonFault('truncated value');
  return size;
}

/** Checks the document at `start`; returns its size. */
function checkDocument(buf: Buffer, start: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new BsonFault('nesting too deep');
  if (start + 5 > limit) throw new BsonFault('truncated document');
  const size = buf.readInt32LE(start);
  if (size < 5 || start + size > limit) throw new BsonFault(`bad document length ${size}`);
  const end = start + size - 1;
  if (buf[end] !== 0) throw new BsonFault('document not terminated');
  let at = start + 4;
  while (at < end) {
    const type = buf[at]!;
    const valueAt = cstring(buf, at + 1, end) + 1;
    at = valueAt + checkValue(buf, type, valueAt, end, depth);
  }
  if (at !== end) throw new BsonFault('element overruns its document');
  return size;
}

function checkValue(buf: Buffer, type: number, at: number, end: number, depth: number): number {
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return fixed(at, 8, end);
    case 0x02:
    case 0x0d:
    case 0x0e:
      return string(buf, at, end);
    case 0x03:
    case 0x04:
      return checkDocument(buf, at, end, depth + 1);
    case 0x05: {
      fixed(at, 5, end);
      const length = buf.readInt32LE(at);
      if (length < 0) throw new BsonFault('negative binary length');
      return fixed(at, 5 + length, end);
    }
    case 0x06:
    case 0x0a:
    case 0x7f:
    case 0xff:
      return 0;
    case 0x07:
      return fixed(at, 12, end);
    case 0x08:
      fixed(at, 1, end);
      if (buf[at]! > 1) throw new BsonFault('illegal boolean value');
      return 1;
    case 0x0b: {
      const pattern = cstring(buf, at, end);
      return cstring(buf, pattern + 1, end) + 1 - at;
    }
    case 0x0c: {
      const name = string(buf, at, end);
      return name + fixed(at + name, 12, end);
    }
    case 0x0f: {
      fixed(at, 4, end);
      const total = buf.readInt32LE(at);
      if (total < 14 || at + total > end) throw new BsonFault('bad code-with-scope length');
      const code = string(buf, at + 4, at + total);
      if (4 + code + checkDocument(buf, at + 4 + code, at + total, depth + 1) !== total)
        throw new BsonFault('bad code-with-scope length');
      return total;
    }
    case 0x10:
      return fixed(at, 4, end);
    case 0x13:
      return fixed(at, 16, end);
    default:
      throw new BsonFault(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** Why `raw` is not one well-formed BSON document, or undefined when it is. */
export function bsonFault(raw: Buffer): string | undefined {
  try {
    if (checkDocument(raw, 0, raw.length, 0) !== raw.length) return 'trailing bytes after the document';
    return undefined;
  } catch (error) {
    if (error instanceof BsonFault) return error.message;
    // Node's own message names buffer offsets, which mean nothing to a client.
    if (error instanceof RangeError) return 'a field runs past the end of the document';
    throw error;
  }
}
