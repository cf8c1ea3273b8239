import { type Document, ObjectId, UUID } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../bson/bsonLimits.js';
import { formatValue } from '../bson/formatValue.js';
import { prependObjectId, rawWithIdFirst } from '../bson/rawDocuments.js';
import { decodePicked, findTopLevel, idDocument, rawIdKey, rawIdValue } from '../bson/rawFields.js';
import { deserializeStored, serialize } from '../bson/serialize.js';
import type { Collation } from '../commands/collation/Collation.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import { CollectionIndex, type IndexKey } from '../indexes/CollectionIndex.js';
import { IndexBuild, type IndexBuildSource, indexBuildAborted } from '../indexes/IndexBuild.js';
import { ID_INDEX_SPEC, type IndexSpec } from '../indexes/IndexTypes.js';
import type { KeyChunk } from '../indexes/KeyChunk.js';
import { type CandidatePlan, planCandidates } from '../indexes/QueryPlanner.js';
import { DocumentSlabs } from './DocumentSlabs.js';
import { checkIdDocument } from './idFieldRules.js';
import type { ChangeSink, CollectionOptions, FrozenIndex } from './StorageTypes.js';
import { StoredDocument } from './StoredDocument.js';

/** What index maintenance decodes of a document: a few top-level fields, or all of it. */
interface KeySource {
  fields: Buffer[];
  whole: boolean;
}

function keySourceOf(specs: Iterable<IndexSpec>): KeySource {
  const names = new Set<string>();
  let whole = false;
  for (const spec of specs) {
    // A partial filter may look at any field, so such an index needs the whole document.
    if (spec.partialFilterExpression) whole = true;
    for (const field of Object.keys(spec.key)) names.add(field.split('.')[0]!);
  }
  return { fields: [...names].map((name) => Buffer.from(name, 'utf8')), whole };
}

/** The part of a stored document that indexes with this key source look at. */
function keyDocOf(raw: Buffer, source: KeySource): Document {
  return source.whole ? deserializeStored(raw) : decodePicked(raw, source.fields);
}

/**
 * One collection: each document kept as its BSON bytes (`_id` first) in a Map keyed by the
 * `_id`'s canonical form, plus ordered secondary indexes. Bytes are decoded only when a
 * query needs fields; index maintenance decodes just the indexed top-level fields.
 * Stored bytes are immutable; an update swaps in new bytes.
 */
export class Collection {
  /** The ready indexes (not those being built), by name. */
  readonly indexes = new Map<string, CollectionIndex>();
  readonly uuid = new UUID();
  /** Replaced as a whole by `collMod` (through the catalog, which journals the change). */
  options: CollectionOptions;
  readonly #docs = new DocumentSlabs();
  #keySource: KeySource = { fields: [], whole: false };
  /** Index builds under way; each is told of every document changed meanwhile. */
  readonly #builds = new Set<IndexBuild>();
  /**
   * Recovery loads a snapshot's documents without index maintenance, then loads the indexes' entries from it
   * or, when it has none, rebuilds them once at the end.
   */
  #indexesStale = false;
  /** Recovery: entries of each index read from the snapshot so far. */
  #restoredChunks = new Map<CollectionIndex, KeyChunk[]>();
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

  /** Number of documents. */
  get size(): number {
    return this.#docs.size;
  }

  /** Total BSON bytes of the documents. */
  get dataBytes(): number {
    return this.#docs.liveBytes;
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

  has(key: string): boolean {
    return this.#docs.has(key);
  }

  /** The document stored under `key`. */
  get(key: string): StoredDocument | undefined {
    const raw = this.#docs.get(key);
    return raw ? new StoredDocument(key, raw) : undefined;
  }

  /** Every document, in insertion order. */
  *documents(): Generator<StoredDocument> {
    for (const [key, raw] of this.#docs) yield new StoredDocument(key, raw);
  }

  /** The stored bytes of every document (for snapshots). */
  raws(): Buffer[] {
    return [...this.#docs.values()];
  }

  /** Inserts a document given as an object (upserts, `$out`). */
  insert(doc: Document): void {
    this.insertRaw(serialize(doc));
  }

  /**
   * Inserts a document given as validated BSON, stored and journaled as these bytes (after
   * adding an ObjectId `_id` if it has none, or moving `_id` first as mongod does).
   */
  insertRaw(input: Buffer): void {
    let raw = input;
    const idAt = findTopLevel(raw, '_id');
    if (idAt < 0) raw = prependObjectId(raw, new ObjectId());
    else if (idAt !== 4) raw = rawWithIdFirst(raw) ?? raw;
    if (raw.length > MAX_BSON_OBJECT_SIZE) {
      throw MongoCommandError.badValue(
        `object to insert too large. size in bytes: ${raw.length}, max size: ${MAX_BSON_OBJECT_SIZE}`,
      );
    }
    if (raw[4] === 0x04) {
      throw new MongoCommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type array");
    }
    if (raw[4] === 0x0b) {
      throw new MongoCommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type regex");
    }
    checkIdDocument(raw);
    const key = rawIdKey(raw);
    if (this.#docs.has(key)) {
      const id = rawIdValue(raw);
      throw new MongoCommandError(
        ErrorCode.DuplicateKey,
        `E11000 duplicate key error collection: ${this.ns} index: _id_ dup key: { _id: ${formatValue(id)} }`,
        { keyPattern: { _id: 1 }, keyValue: { _id: id } },
      );
    }
    if (this.indexes.size > 0) this.#addToIndexes(key, this.#checkedKeys(key, this.#keyDoc(raw)));
    for (const build of this.#builds) build.changed(key, undefined);
    this.#docs.set(key, raw);
    this.#sink().inserted(this.ns, raw);
  }

  /** Replaces the stored document `key` with `doc` (same `_id`). */
  replace(key: string, doc: Document): void {
    const old = this.#docs.get(key);
    if (!old) throw new MongoCommandError(ErrorCode.InternalError, `document ${key} vanished during update`);
    let raw = serialize(doc);
    if (findTopLevel(raw, '_id') > 4) raw = rawWithIdFirst(raw) ?? raw;
    if (raw.length > MAX_BSON_OBJECT_SIZE) {
      throw new MongoCommandError(
        ErrorCode.BSONObjectTooLarge,
        `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`,
      );
    }
    if (this.indexes.size > 0) {
      const newKeys = this.#checkedKeys(key, doc);
      this.#removeFromIndexes(key, old);
      this.#addToIndexes(key, newKeys);
    }
    for (const build of this.#builds) build.changed(key, old);
    this.#docs.set(key, raw);
    this.#sink().replaced(this.ns, raw);
  }

  /** Deletes the document stored under `key`; returns whether it existed. */
  delete(key: string): boolean {
    const old = this.#docs.get(key);
    if (!old) return false;
    if (this.indexes.size > 0) this.#removeFromIndexes(key, old);
    for (const build of this.#builds) build.changed(key, old);
    this.#docs.delete(key);
    this.#sink().deleted(this.ns, idDocument(old));
    return true;
  }

  /**
   * Adds an index, for recovery (a server that answers clients builds in the background: `buildIndexes`).
   * Over documents it leaves every index to be rebuilt once all documents are loaded: an index created
   * after the snapshot was taken, whose journal may hold keys a unique index refuses (reported then).
   */
  createIndex(spec: IndexSpec): void {
    if (this.#docs.size > 0) this.#indexesStale = true;
    const [index] = this.#indexesStale
      ? [new CollectionIndex(spec)]
      : IndexBuild.buildNow([spec], this.#buildSource([spec]));
    this.#install([index!]);
  }

  /**
   * Builds indexes in the background (see IndexBuild): queries use them, and the catalog lists them, once
   * they are complete. Resolves then; rejects, leaving nothing behind, on a duplicate key or a drop.
   */
  buildIndexes(specs: IndexSpec[]): Promise<void> {
    const build = IndexBuild.start(specs, this.#buildSource(specs), (indexes) => this.#install(indexes));
    this.#builds.add(build);
    return build.finished.finally(() => this.#builds.delete(build));
  }

  /** What a build of `specs` reads of this collection. */
  #buildSource(specs: IndexSpec[]): IndexBuildSource {
    const keySource = keySourceOf(specs);
    const collection = this;
    return {
      docs: this.#docs,
      keyDoc: (raw) => keyDocOf(raw, keySource),
      get ns() {
        return collection.ns;
      },
    };
  }

  /** Index builds under way. */
  get indexBuilds(): ReadonlySet<IndexBuild> {
    return this.#builds;
  }

  /** Stops every index build under way (the collection is being dropped). */
  abortIndexBuilds(why: string): void {
    for (const build of this.#builds) build.abort(indexBuildAborted(this.ns, why));
  }

  #install(indexes: CollectionIndex[]): void {
    for (const index of indexes) {
      this.indexes.set(index.name, index);
      this.#sink().catalogChanged({ op: 'createIndex', ns: this.ns, spec: index.spec });
    }
    this.#keySource = keySourceOf(this.#readySpecs());
  }

  /** Drops a ready index, or stops the build of one under way. */
  dropIndex(name: string): void {
    for (const build of this.#builds) {
      if (build.indexes.some((index) => index.name === name))
        build.abort(indexBuildAborted(this.ns, `index ${name} dropped`));
    }
    if (!this.indexes.delete(name)) return;
    this.#keySource = keySourceOf(this.#readySpecs());
    this.#sink().catalogChanged({ op: 'dropIndex', ns: this.ns, name });
  }

  *#readySpecs(): Generator<IndexSpec> {
    for (const index of this.indexes.values()) yield index.spec;
  }

  /** Candidate documents for `filter` (in `sort` order when an index gives it) through `_id`, an index, or a scan. */
  plan(filter: Document, sort: Array<[string, number]> = [], collation?: Collation): CandidatePlan {
    return planCandidates(this, filter, sort, collation);
  }

  /** Recovery: stores a snapshotted document (new or replacing) without index maintenance. */
  restore(raw: Buffer): void {
    const key = rawIdKey(raw);
    this.#docs.set(key, raw);
    this.#indexesStale = true;
  }

  /** Recovery: removes a document without index maintenance. */
  restoreDelete(key: string): void {
    if (!this.#docs.delete(key)) return;
    this.#indexesStale = true;
  }

  /**
   * Recovery: entries of index `name` as a snapshot holds them (in order; one index may come in several
   * parts). Loaded once the snapshot is read (`indexesRestored`).
   */
  restoreIndexEntries(name: string, multikey: boolean, chunks: KeyChunk[]): void {
    const index = this.indexes.get(name);
    // A collated index's entries hold representatives of its strings (see StringClasses), which a snapshot
    // does not keep: it is rebuilt from the documents instead.
    if (!index || index.collation) return;
    if (multikey) index.multikey = true;
    const restored = this.#restoredChunks.get(index);
    if (restored) for (const chunk of chunks) restored.push(chunk);
    else this.#restoredChunks.set(index, chunks);
  }

  /**
   * Recovery, once a snapshot is read: when it held `usable` entries of every index, they are loaded and the
   * journal's changes are then made to them one by one (`replay`); otherwise the indexes are rebuilt from
   * the documents at the end (`rebuildIndexes`). Returns why they were not loaded, if they could not be.
   */
  indexesRestored(usable: boolean): string | undefined {
    const restored = this.#restoredChunks;
    this.#restoredChunks = new Map();
    if (!usable || restored.size === 0) return undefined;
    const missing = [...this.indexes.values()].find((index) => !restored.has(index));
    if (missing) return `${this.ns}: the snapshot has no entries of index ${missing.name}; rebuilding`;
    for (const [index, chunks] of restored) index.tree.loadChunks(chunks);
    // A check that costs nothing: an index of one entry per document must have as many as there are.
    const mismatched = [...this.indexes.values()].find(
      (index) => index.complete && !index.multikey && index.tree.size !== this.#docs.size,
    );
    if (mismatched) {
      return `${this.ns}: index ${mismatched.name} has ${mismatched.tree.size} entries in the snapshot for ${this.#docs.size} documents; rebuilding`;
    }
    this.#indexesStale = false;
    return undefined;
  }

  /** Recovery: a journaled insert or replacement, kept in the indexes unless they are to be rebuilt. */
  replay(raw: Buffer): void {
    if (this.#indexesStale || this.indexes.size === 0) {
      this.restore(raw);
      return;
    }
    const key = rawIdKey(raw);
    // Keys first: a document they cannot be taken from is skipped whole, leaving the indexes as they were.
    const keys = this.#checkedKeys(key, this.#keyDoc(raw), false);
    const old = this.#docs.get(key);
    if (old) this.#removeFromIndexes(key, old);
    this.#addToIndexes(key, keys);
    this.#docs.set(key, raw);
  }

  /** Recovery: a journaled delete, kept in the indexes unless they are to be rebuilt. */
  replayDelete(key: string): void {
    const old = this.#docs.get(key);
    if (!old) return;
    if (!this.#indexesStale) this.#removeFromIndexes(key, old);
    this.#docs.delete(key);
  }

  /**
   * The ready indexes with their entries as they are now, for a snapshot: chunks changed from here on are
   * changed in copies, until the snapshot thaws them (`OrderedIndex.thaw`).
   */
  freezeIndexes(): FrozenIndex[] {
    return [...this.indexes.values()].map((index) => ({
      spec: index.spec,
      multikey: index.multikey,
      chunks: index.tree.freeze(),
    }));
  }

  /** Recovery: whether the indexes are to be rebuilt from the documents (`rebuildIndexes`). */
  get indexesStale(): boolean {
    return this.#indexesStale;
  }

  /**
   * Rebuilds the indexes after recovery in one pass over the documents, unless their entries were loaded
   * from the snapshot. Returns problems found (a unique key held twice, which the journal of an earlier
   * version may hold), which recovery logs.
   */
  rebuildIndexes(): string[] {
    if (!this.#indexesStale) return [];
    this.#indexesStale = false;
    if (this.indexes.size === 0) return [];
    const specs = [...this.#readySpecs()];
    const problems: string[] = [];
    const rebuilt = IndexBuild.buildNow(specs, this.#buildSource(specs), (error) =>
      problems.push(error.message),
    );
    for (const index of rebuilt) this.indexes.set(index.name, index);
    return problems;
  }

  /** The part of a stored document the indexes look at. */
  #keyDoc(raw: Buffer): Document {
    return keyDocOf(raw, this.#keySource);
  }

  /** Each index's keys of `doc`; throws on a key a unique index holds for another document, if `unique`. */
  #checkedKeys(key: string, doc: Document, unique = true): Map<CollectionIndex, IndexKey[]> {
    const all = new Map<CollectionIndex, IndexKey[]>();
    for (const index of this.indexes.values()) {
      const keys = index.keysFor(doc);
      const dup = unique ? index.conflict(key, keys) : undefined;
      if (dup) throw index.duplicateKeyError(this.ns, dup);
      all.set(index, keys);
    }
    return all;
  }

  #addToIndexes(key: string, keys: Map<CollectionIndex, IndexKey[]>): void {
    for (const [index, indexKeys] of keys) index.add(key, indexKeys);
  }

  #removeFromIndexes(key: string, raw: Buffer): void {
    const doc = this.#keyDoc(raw);
    for (const index of this.indexes.values()) index.remove(key, index.keysFor(doc));
  }
}
