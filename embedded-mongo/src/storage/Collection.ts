import { BSON, type Document, ObjectId, UUID } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../bson/bsonLimits.js';
import { TypeClass, typeClassOf } from '../bson/compareValues.js';
import { documentKey } from '../bson/documentKey.js';
import { formatValue } from '../bson/formatValue.js';
import { rawWithIdFirst } from '../bson/rawDocuments.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import { CollectionIndex } from '../indexes/CollectionIndex.js';
import { ID_INDEX_SPEC, type IndexSpec } from '../indexes/IndexTypes.js';
import { type CandidatePlan, planCandidates } from '../indexes/QueryPlanner.js';
import type { ChangeSink, CollectionOptions } from './StorageTypes.js';

/**
 * One collection: documents in a Map keyed by their `_id`'s canonical form, plus ordered
 * secondary indexes. Stored documents are immutable; updates swap in a new object.
 */
export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, CollectionIndex>();
  readonly uuid = new UUID();
  readonly options: CollectionOptions;
  #db: string;
  #name: string;
  readonly #sink: () => ChangeSink;

  constructor(db: string, name: string, options: CollectionOptions, sink: () => ChangeSink) {
    this.#db = db;
    this.#name = name;
    this.options = options;
    this.#sink = sink;
  }

  get db(): string {
    return this.#db;
  }

  get name(): string {
    return this.#name;
  }

  get ns(): string {
    return `${this.#db}.${this.#name}`;
  }

  /** Called by the catalog when the collection is renamed. */
  rename(db: string, name: string): void {
    this.#db = db;
    this.#name = name;
  }

  /** Index specs, `_id_` first, as `listIndexes` reports them. */
  indexSpecs(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /**
   * Inserts a document (adding an ObjectId `_id` if it has none). `raw` is the document's BSON
   * as received, journaled as is when given. Returns the stored document.
   */
  insert(input: Document, raw?: Buffer): Document {
    let doc = input;
    if (doc._id === undefined) {
      doc = { _id: new ObjectId(), ...input };
      raw = undefined;
    } else if (Object.keys(doc)[0] !== '_id') {
      // mongod stores _id as the first field whatever order the client sent.
      const { _id, ...rest } = doc;
      doc = { _id, ...rest };
      raw = raw ? rawWithIdFirst(raw) : undefined;
    }
    validateId(doc._id);
    const size = raw ? raw.length : BSON.calculateObjectSize(doc);
    if (size > MAX_BSON_OBJECT_SIZE) {
      throw MongoCommandError.badValue(
        `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`,
      );
    }
    const key = documentKey(doc._id);
    if (this.docs.has(key)) {
      throw new MongoCommandError(
        ErrorCode.DuplicateKey,
        `E11000 duplicate key error collection: ${this.ns} index: _id_ dup key: { _id: ${formatValue(doc._id)} }`,
        { keyPattern: { _id: 1 }, keyValue: { _id: doc._id } },
      );
    }
    const keys = this.#checkedKeys(key, doc);
    this.#addToIndexes(key, keys);
    this.docs.set(key, doc);
    this.#sink().inserted(this.ns, doc, raw);
    return doc;
  }

  /** Replaces the stored document `key` with `doc` (same `_id`). */
  replace(key: string, doc: Document): void {
    const old = this.docs.get(key);
    if (!old) throw new MongoCommandError(ErrorCode.InternalError, `document ${key} vanished during update`);
    const size = BSON.calculateObjectSize(doc);
    if (size > MAX_BSON_OBJECT_SIZE) {
      throw new MongoCommandError(
        ErrorCode.BSONObjectTooLarge,
        `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`,
      );
    }
    const newKeys = this.#checkedKeys(key, doc);
    this.#removeFromIndexes(key, old);
    this.#addToIndexes(key, newKeys);
    this.docs.set(key, doc);
    this.#sink().replaced(this.ns, doc);
  }

  /** Deletes the document stored under `key`; returns it. */
  delete(key: string): Document | undefined {
    const old = this.docs.get(key);
    if (!old) return undefined;
    this.#removeFromIndexes(key, old);
    this.docs.delete(key);
    this.#sink().deleted(this.ns, old._id);
    return old;
  }

  /** Deletes every document (dropDatabase/drop keep their own journal records). */
  clear(): void {
    this.docs.clear();
    for (const [name, index] of this.indexes) this.indexes.set(name, new CollectionIndex(index.spec));
  }

  /** Builds an index over the existing documents; throws (leaving nothing behind) on a duplicate. */
  createIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec);
    for (const [key, doc] of this.docs) {
      const keys = index.keysFor(doc);
      const dup = index.conflict(key, keys);
      if (dup) throw index.duplicateKeyError(this.ns, dup);
      index.add(key, keys);
    }
    this.indexes.set(spec.name, index);
    this.#sink().catalogChanged({ op: 'createIndex', ns: this.ns, spec });
  }

  dropIndex(name: string): void {
    this.indexes.delete(name);
    this.#sink().catalogChanged({ op: 'dropIndex', ns: this.ns, name });
  }

  /** Candidate documents for `filter` through `_id`, an index, or a scan. */
  plan(filter: Document): CandidatePlan {
    return planCandidates(this, filter);
  }

  #checkedKeys(key: string, doc: Document): Map<CollectionIndex, unknown[][]> {
    const all = new Map<CollectionIndex, unknown[][]>();
    for (const index of this.indexes.values()) {
      const keys = index.keysFor(doc);
      const dup = index.conflict(key, keys);
      if (dup) throw index.duplicateKeyError(this.ns, dup);
      all.set(index, keys);
    }
    return all;
  }

  #addToIndexes(key: string, keys: Map<CollectionIndex, unknown[][]>): void {
    for (const [index, indexKeys] of keys) index.add(key, indexKeys);
  }

  #removeFromIndexes(key: string, doc: Document): void {
    for (const index of this.indexes.values()) index.remove(key, index.keysFor(doc));
  }
}

function validateId(id: unknown): void {
  const cls = typeClassOf(id);
  if (cls === TypeClass.Array) {
    throw new MongoCommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type array");
  }
  if (cls === TypeClass.RegExp) {
    throw new MongoCommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type regex");
  }
}
