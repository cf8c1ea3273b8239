import type { Collation } from './Collation.js';

/**
 * Collation-equal strings mapped to one representative (the first one seen): the stand-in for ICU sort
 * keys, which Intl.Collator does not expose. Representatives are kept sorted by the collator, so finding
 * one is a binary search of O(log n) collator comparisons. Used for `$group` keys and for the entries of
 * an index with a collation (see CollectionIndex).
 */
export class StringClasses {
  readonly #collation: Collation;
  readonly #sorted: string[] = [];

  constructor(collation: Collation) {
    this.#collation = collation;
  }

  /** How many representatives are known. */
  get size(): number {
    return this.#sorted.length;
  }

  /** The representative of `text`; with `register`, `text` becomes one when none is equal to it yet. */
  representative(text: string, register: boolean): string {
    const sorted = this.#sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.#collation.collator.compare(sorted[mid]!, text);
      if (c === 0) return sorted[mid]!;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    if (register) sorted.splice(lo, 0, text);
    return text;
  }

  /** `value` with every string in it (also in arrays and plain documents) replaced by its representative. */
  canonical(value: unknown, register: boolean): unknown {
    if (typeof value === 'string') return this.representative(value, register);
    if (Array.isArray(value)) return value.map((item) => this.canonical(item, register));
    if (
      value !== null &&
      typeof value === 'object' &&
      (value as { _bsontype?: unknown })._bsontype === undefined &&
      Object.getPrototypeOf(value) === Object.prototype
    ) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.canonical(v, register);
      return out;
    }
    return value;
  }
}
