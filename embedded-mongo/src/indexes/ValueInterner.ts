import type { ObjectId } from 'bson';

/** How many distinct values an index shares at most; past that, values are simply stored as they come. */
const MAX_SHARED = 200_000;

/**
 * Lets the entries of one index share equal key values. Index keys are decoded from each document, so a
 * million audit events by three doctors held a million equal ObjectIds, and 100k patients' search terms
 * three million strings, most of them the same few thousand prefixes: the index was most of the heap, and
 * the garbage collector's pauses grew with it. Only immutable values (strings, ObjectIds) are shared.
 */
export class ValueInterner {
  readonly #strings = new Map<string, string>();
  readonly #objectIds = new Map<string, ObjectId>();

  /** Replaces each shareable element of `key` by the index's copy of an equal value (in place). */
  internKey(key: unknown[]): unknown[] {
    for (let i = 0; i < key.length; i++) key[i] = this.#intern(key[i]);
    return key;
  }

  #intern(value: unknown): unknown {
    if (typeof value === 'string') {
      const known = this.#strings.get(value);
      if (known !== undefined) return known;
      if (this.#strings.size < MAX_SHARED) this.#strings.set(value, value);
      return value;
    }
    if (isObjectId(value)) {
      const hex = value.toHexString();
      const known = this.#objectIds.get(hex);
      if (known !== undefined) return known;
      if (this.#objectIds.size < MAX_SHARED) this.#objectIds.set(hex, value);
      return value;
    }
    return value;
  }
}

function isObjectId(value: unknown): value is ObjectId {
  return (
    typeof value === 'object' && value !== null && (value as { _bsontype?: string })._bsontype === 'ObjectId'
  );
}
