import { BSON, type Document } from 'bson';

/** BSON.serialize as a Node Buffer (bson types its result as a plain Uint8Array). */
export function serialize(doc: Document): Buffer {
  const bytes = BSON.serialize(doc);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
