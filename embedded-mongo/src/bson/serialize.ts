import { BSON, type Document } from 'bson';

/** BSON.serialize as a Node Buffer (bson types its result as a plain Uint8Array). */
export function serialize(doc: Document): Buffer {
  const bytes = BSON.serialize(doc);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// Stored bytes were validated (UTF-8 included) when they arrived; checking again only costs time.
const storedOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  validation: { utf8: false },
} as const;

/** Decodes stored (already validated) BSON. */
export function deserializeStored(raw: Buffer): Document {
  return BSON.deserialize(raw, storedOptions);
}
