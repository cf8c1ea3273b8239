import type { Document } from 'bson';
import { Query } from 'mingo';
import { compareValues } from '../bson/compareValues.js';
import { formatValue } from '../bson/formatValue.js';
import { pathValues } from '../bson/pathValues.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import type { IndexEntry, IndexSpec, KeyProbe } from './IndexTypes.js';
import { OrderedIndex } from './OrderedIndex.js';
import { ValueInterner } from './ValueInterner.js';

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
  readonly #values = new ValueInterner();

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.#topLevel = this.fields.every((field) => !field.includes('.'));
    this.#directions = this.fields.map((f) => (Number(spec.key[f]) < 0 ? -1 : 1));
    this.tree = new OrderedIndex(this.#directions);
    this.#partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether a lookup through this index sees every document (not sparse, not partial). */
  get complete(): boolean {
    return !this.spec.sparse && !this.#partial;
  }

  /** The keys a document contributes, or an empty list when the index leaves it out. */
  keysFor(doc: Document): unknown[][] {
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
    if (keys.length > 1) {
      keys.sort((a, b) => this.tree.compareKeys(a, b));
      keys = keys.filter((key, i) => i === 0 || this.tree.compareKeys(keys[i - 1]!, key) !== 0);
    }
    return keys;
  }

  add(id: string, keys: unknown[][]): void {
    if (keys.length > 1) this.multikey = true;
    for (const key of keys) this.tree.insert({ key: this.#values.internKey(key), id });
  }

  /**
   * Replaces the entries with those of `docs` (document key and its keys) in one sort.
   * For a unique index, returns a key two documents share (the index is then unusable).
   */
  rebuild(docs: Iterable<{ id: string; keys: unknown[][] }>): unknown[] | undefined {
    const entries: IndexEntry[] = [];
    this.multikey = false;
    for (const { id, keys } of docs) {
      if (keys.length > 1) this.multikey = true;
      for (const key of keys) entries.push({ key: this.#values.internKey(key), id });
    }
    this.tree.load(entries);
    if (!this.spec.unique) return undefined;
    let previous: IndexEntry | undefined;
    for (const entry of this.tree.all()) {
      if (previous && previous.id !== entry.id && this.tree.compareKeys(previous.key, entry.key) === 0)
        return entry.key;
      previous = entry;
    }
    return undefined;
  }

  remove(id: string, keys: unknown[][]): void {
    for (const key of keys) this.tree.remove({ key, id });
  }

  /** For a unique index, the first key of `keys` already owned by another document. */
  conflict(id: string, keys: unknown[][]): unknown[] | undefined {
    if (!this.spec.unique) return undefined;
    for (const key of keys) if (this.tree.hasOtherOwner(key, id)) return key;
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
    const directions = this.#directions;
    return (key) => {
      for (let i = 0; i < prefix.length; i++) {
        const c = compareValues(key[i], prefix[i]);
        if (c !== 0) return c * directions[i]!;
      }
      return 0;
    };
  }
}
