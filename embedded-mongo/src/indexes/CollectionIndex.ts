import type { Document } from 'bson';
import { Query } from 'mingo';
import { typeClassOf } from '../bson/compareValues.js';
import { formatValue } from '../bson/formatValue.js';
import { pathValues } from '../bson/pathValues.js';
import { Collation } from '../commands/collation/Collation.js';
import { StringClasses } from '../commands/collation/StringClasses.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import type { IndexSpec, KeyProbe } from './IndexTypes.js';
import { comparePrefix, encodeKey, entryKey, typeClassPrefix } from './KeyEncoding.js';
import { OrderedIndex } from './OrderedIndex.js';

/** One key a document contributes: its values (one per field) and their encoding. */
export interface IndexKey {
  values: unknown[];
  encoded: string;
}

/** A range condition on one field: bounds in value order, as the filter gives them. */
export interface KeyRange {
  lo?: unknown;
  loInclusive: boolean;
  hi?: unknown;
  hiInclusive: boolean;
}

/** A secondary index of one collection: its spec, its ordered entries and its key extraction. */
export class CollectionIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly tree: OrderedIndex;
  /** Set once any document produced several keys (an array value); lookups then dedupe. */
  multikey = false;
  readonly #partial: Query | undefined;
  /** Every field is top-level (no dotted path). */
  readonly #topLevel: boolean;
  readonly #directions: number[];
  /** The index's collation, if it has one. */
  readonly collation: Collation | undefined;
  /**
   * For a collated index, the representative of each class of collation-equal strings: its entries encode
   * representatives, so equal strings ("abc", "ABC" at strength 2) share one key (equality lookups and
   * uniqueness are exact). Intl.Collator has no sort keys, so entries are in binary order of the
   * representatives, not in the collation's order: such an index serves no string range and no sort.
   */
  readonly #classes: StringClasses | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.#topLevel = this.fields.every((field) => !field.includes('.'));
    this.#directions = this.fields.map((f) => (Number(spec.key[f]) < 0 ? -1 : 1));
    this.tree = new OrderedIndex();
    this.collation = spec.collation ? Collation.parse(spec.collation) : undefined;
    this.#classes = this.collation ? new StringClasses(this.collation) : undefined;
    this.#partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether a lookup through this index sees every document (not sparse, not partial). */
  get complete(): boolean {
    return !this.spec.sparse && !this.#partial;
  }

  /** The distinct keys a document contributes, or an empty list when the index leaves it out. */
  keysFor(doc: Document): IndexKey[] {
    const keys = this.#keyValues(doc);
    if (keys.length === 1) return [{ values: keys[0]!, encoded: this.#encodeEntry(keys[0]!) }];
    // Equal elements (`[1, 1.0]`) give one entry.
    const distinct = new Map<string, IndexKey>();
    for (const values of keys) {
      const encoded = this.#encodeEntry(values);
      if (!distinct.has(encoded)) distinct.set(encoded, { values, encoded });
    }
    return [...distinct.values()];
  }

  #keyValues(doc: Document): unknown[][] {
    if (this.#partial && !this.#partial.test(doc)) return [];
    if (this.#topLevel) {
      // Common case: top-level scalar fields give exactly one key, no path walking needed.
      const key: unknown[] = new Array(this.fields.length);
      let scalar = true;
      let present = false;
      for (let i = 0; i < this.fields.length; i++) {
        const value = doc[this.fields[i]!];
        if (Array.isArray(value)) {
          scalar = false;
          break;
        }
        if (value !== undefined) present = true;
        key[i] = value ?? null;
      }
      if (scalar) return this.spec.sparse && !present ? [] : [key];
    }
    const perField = this.fields.map((field) => pathValues(doc, field));
    if (this.spec.sparse && perField.every((values) => values.length === 1 && values[0] === undefined))
      return [];
    let keys: unknown[][] = [[]];
    let arrays = 0;
    for (const values of perField) {
      if (values.length > 1) arrays++;
      const next: unknown[][] = [];
      for (const prefix of keys) for (const value of values) next.push([...prefix, value ?? null]);
      keys = next;
    }
    if (arrays > 1) {
      throw new MongoCommandError(
        ErrorCode.CannotIndexParallelArrays,
        `cannot index parallel arrays [${this.fields.join('] [')}]`,
      );
    }
    return keys;
  }

  /** The encoding of `values` (a whole key or its leading fields), which entries of equal keys start with. */
  encode(values: unknown[]): string {
    const classes = this.#classes;
    return encodeKey(classes ? values.map((v) => classes.canonical(v, false)) : values, this.#directions);
  }

  /** The encoding of a document's key: as `encode`, its strings becoming representatives if new. */
  #encodeEntry(values: unknown[]): string {
    const classes = this.#classes;
    return encodeKey(classes ? values.map((v) => classes.canonical(v, true)) : values, this.#directions);
  }

  add(id: string, keys: IndexKey[]): void {
    if (keys.length > 1) this.multikey = true;
    for (const key of keys) this.tree.insert(entryKey(key.encoded, id));
  }

  remove(id: string, keys: IndexKey[]): void {
    for (const key of keys) this.tree.remove(entryKey(key.encoded, id));
  }

  /** For a unique index, the values of the first key of `keys` already owned by another document. */
  conflict(id: string, keys: IndexKey[]): unknown[] | undefined {
    if (!this.spec.unique) return undefined;
    for (const { values, encoded } of keys) {
      for (const entry of this.tree.scan((e) => comparePrefix(e, encoded)))
        if (entry.id !== id) return values;
    }
    return undefined;
  }

  /** The duplicate key error MongoDB reports for `key`, with `keyPattern` and `keyValue`. */
  duplicateKeyError(ns: string, key: unknown[]): MongoCommandError {
    const keyValue: Document = {};
    this.fields.forEach((field, i) => {
      keyValue[field] = key[i];
    });
    const shown = this.fields.map((field, i) => `${field}: ${formatValue(key[i])}`).join(', ');
    return new MongoCommandError(
      ErrorCode.DuplicateKey,
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }

  /** Probe for entries whose leading fields equal `prefix`. */
  equalityProbe(prefix: unknown[]): KeyProbe {
    const encoded = this.encode(prefix);
    return (entry) => comparePrefix(entry, encoded);
  }

  /**
   * Probe for entries whose leading fields equal `prefix` and whose next field lies in `range`,
   * within the type of its bound (MongoDB's type bracketing: `$gt: 5` finds no strings).
   */
  rangeProbe(prefix: unknown[], range: KeyRange): KeyProbe {
    const bracket = typeClassOf(range.lo !== undefined ? range.lo : range.hi);
    const field = prefix.length;
    const direction = this.#directions[field]!;
    const lo = range.lo !== undefined && typeClassOf(range.lo) === bracket ? range.lo : undefined;
    // Each bound of a multikey range may be met by a different element, so only one bound narrows.
    const hiValue = this.multikey && range.lo !== undefined ? undefined : range.hi;
    const hi = hiValue !== undefined && typeClassOf(hiValue) === bracket ? hiValue : undefined;
    const encodedPrefix = this.encode(prefix);
    const classRegion = encodedPrefix + typeClassPrefix(bracket, direction);
    const region = (value: unknown) => this.encode([...prefix, value]);
    // In entry order a descending field lists its upper bound first.
    const [first, firstInclusive, last, lastInclusive] =
      direction > 0
        ? [lo, range.loInclusive, hi, range.hiInclusive]
        : [hi, range.hiInclusive, lo, range.loInclusive];
    const start = first === undefined ? classRegion : region(first);
    const startsAfter = first !== undefined && !firstInclusive;
    const end = last === undefined ? classRegion : region(last);
    const endsBefore = last !== undefined && !lastInclusive;
    return (entry) => {
      const s = comparePrefix(entry, start);
      if (s < 0 || (s === 0 && startsAfter)) return -1;
      const e = comparePrefix(entry, end);
      if (e > 0 || (e === 0 && endsBefore)) return 1;
      return 0;
    };
  }
}
