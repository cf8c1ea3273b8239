import type { Document } from 'bson';
import { deserializeStored } from '../bson/serialize.js';

/**
 * A stored document as a query handles it: its collection key and its BSON bytes, decoded
 * only when something (matcher, sort, projection, update) needs its fields. The bytes are
 * never modified, so holding one gives a consistent view even after the document changes.
 */
export class StoredDocument {
  /** The collection key (see documentKey). */
  readonly key: string;
  /** The BSON bytes, `_id` first. */
  readonly raw: Buffer;
  #doc: Document | undefined;

  constructor(key: string, raw: Buffer) {
    this.key = key;
    this.raw = raw;
  }

  /** The decoded document (decoded once, on first use). */
  get doc(): Document {
    this.#doc ??= deserializeStored(this.raw);
    return this.#doc;
  }
}
