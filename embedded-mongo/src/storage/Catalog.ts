import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import type { IndexSpec } from '../indexes/IndexTypes.js';
import { Collection } from './Collection.js';
import { type CatalogChange, type ChangeSink, type CollectionOptions, nullSink } from './StorageTypes.js';

const INVALID_DB_CHARS = /[/\\. "$*<>:|?\0]/;

/** Splits `db.collection` at the first dot. */
export function splitNamespace(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  if (dot <= 0)
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid namespace specified '${ns}'`);
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

export function validateDbName(db: string): void {
  if (db.length === 0 || db.length > 63 || INVALID_DB_CHARS.test(db)) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid database name: '${db}'`);
  }
}

export function validateCollectionName(db: string, name: string): void {
  validateDbName(db);
  if (
    name.length === 0 ||
    name.includes('\0') ||
    name.startsWith('.') ||
    (name.includes('$') && !name.startsWith('system.'))
  ) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid collection name: ${db}.${name}`);
  }
  if (db.length + 1 + name.length > 255) {
    throw new MongoCommandError(
      ErrorCode.InvalidNamespace,
      `Fully qualified namespace is too long: ${db}.${name}`,
    );
  }
}

/** All databases and their collections; every structural change goes to the change sink. */
export class Catalog {
  readonly #dbs = new Map<string, Map<string, Collection>>();
  sink: ChangeSink = nullSink;

  #emit(change: CatalogChange): void {
    this.sink.catalogChanged(change);
  }

  get(db: string, name: string): Collection | undefined {
    return this.#dbs.get(db)?.get(name);
  }

  /** The collection, created implicitly as MongoDB does on first write. */
  getOrCreate(db: string, name: string): Collection {
    return this.get(db, name) ?? this.create(db, name, {});
  }

  create(db: string, name: string, options: CollectionOptions): Collection {
    validateCollectionName(db, name);
    if (this.get(db, name)) {
      throw new MongoCommandError(ErrorCode.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    let colls = this.#dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.#dbs.set(db, colls);
    }
    const coll = new Collection(db, name, options, () => this.sink);
    colls.set(name, coll);
    this.#emit({ op: 'createCollection', ns: coll.ns, options });
    return coll;
  }

  /** Drops a collection; returns whether it existed. */
  drop(db: string, name: string): boolean {
    const colls = this.#dbs.get(db);
    colls?.get(name)?.abortIndexBuilds('collection dropped');
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.#dbs.delete(db);
    this.#emit({ op: 'dropCollection', ns: `${db}.${name}` });
    return true;
  }

  /** Replaces a collection's (or view's) options, as `collMod` does. */
  modify(db: string, name: string, options: CollectionOptions): void {
    const coll = this.get(db, name);
    if (!coll) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${db}.${name}`);
    coll.options = options;
    this.#emit({ op: 'modifyCollection', ns: coll.ns, options });
  }

  dropDatabase(db: string): void {
    for (const coll of this.#dbs.get(db)?.values() ?? []) coll.abortIndexBuilds('database dropped');
    if (!this.#dbs.delete(db)) return;
    this.#emit({ op: 'dropDatabase', db });
  }

  rename(from: string, to: string, dropTarget: boolean): void {
    const [fromDb, fromName] = splitNamespace(from);
    const [toDb, toName] = splitNamespace(to);
    validateCollectionName(toDb, toName);
    const source = this.get(fromDb, fromName);
    if (!source)
      throw new MongoCommandError(ErrorCode.NamespaceNotFound, `Source collection ${from} does not exist`);
    if (from === to)
      throw new MongoCommandError(ErrorCode.IllegalOperation, "Can't rename a collection to itself");
    if (this.get(toDb, toName)) {
      if (!dropTarget)
        throw new MongoCommandError(ErrorCode.NamespaceExists, `Target namespace exists: ${to}`);
      this.drop(toDb, toName);
    }
    const colls = this.#dbs.get(fromDb)!;
    colls.delete(fromName);
    if (colls.size === 0) this.#dbs.delete(fromDb);
    let target = this.#dbs.get(toDb);
    if (!target) {
      target = new Map();
      this.#dbs.set(toDb, target);
    }
    source.rename(toDb, toName);
    target.set(toName, source);
    this.#emit({ op: 'renameCollection', from, to });
  }

  databases(): string[] {
    return [...this.#dbs.keys()];
  }

  collections(db: string): Collection[] {
    return [...(this.#dbs.get(db)?.values() ?? [])];
  }

  allCollections(): Collection[] {
    return [...this.#dbs.values()].flatMap((colls) => [...colls.values()]);
  }

  /** Re-applies a journaled catalog change during recovery. */
  apply(change: CatalogChange): void {
    switch (change.op) {
      case 'createCollection': {
        const [db, name] = splitNamespace(change.ns);
        if (!this.get(db, name)) this.create(db, name, change.options);
        return;
      }
      case 'dropCollection': {
        const [db, name] = splitNamespace(change.ns);
        this.drop(db, name);
        return;
      }
      case 'modifyCollection': {
        const [db, name] = splitNamespace(change.ns);
        if (this.get(db, name)) this.modify(db, name, change.options);
        return;
      }
      case 'createIndex': {
        const [db, name] = splitNamespace(change.ns);
        const coll = this.getOrCreate(db, name);
        if (!coll.indexes.has(change.spec.name)) coll.createIndex(change.spec as IndexSpec);
        return;
      }
      case 'dropIndex': {
        const [db, name] = splitNamespace(change.ns);
        this.get(db, name)?.dropIndex(change.name);
        return;
      }
      case 'renameCollection':
        this.rename(change.from, change.to, true);
        return;
      case 'dropDatabase':
        this.dropDatabase(change.db);
        return;
    }
  }
}
