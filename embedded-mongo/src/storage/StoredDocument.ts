import type { Document } from 'bson';
import { decodePicked } from '../bson/rawFields.js';
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

  /**
   * The top-level fields `names` (UTF-8): the decoded document if there already is one,
   * else just those fields, so sorting a matcher-free candidate set decodes little.
   */
  pick(names: readonly Buffer[]): Document {
    return this.#doc ?? decodePicked(this.raw, names);
  }

  /** The decoded document (decoded once, on first use). */
  get doc(): Document {
    this.#doc ??= deserializeStored(this.raw);
    return this.#doc;
  }
}
