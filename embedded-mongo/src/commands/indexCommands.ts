import type { Document } from 'bson';
import { compareValues } from '../bson/compareValues.js';
import { ID_INDEX_SPEC, type IndexSpec } from '../indexes/IndexTypes.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { idIndexSpec, indexCollation } from './collation/indexCollation.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { collectionName, requireDocument } from './queryEngine.js';
import { refuseWriteOnView } from './views.js';

const UNSUPPORTED_KINDS = new Set(['text', '2d', '2dsphere', 'geoHaystack', 'wildcard']);

function defaultName(key: Document): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${dir}`)
    .join('_');
}

function parseSpec(raw: unknown): IndexSpec {
  const doc = requireDocument(raw, 'indexes');
  const key = requireDocument(doc.key, 'key');
  if (Object.keys(key).length === 0)
    throw new MongoCommandError(ErrorCode.CannotCreateIndex, 'Index keys cannot be empty.');
  const normalized: Document = {};
  for (const [field, dir] of Object.entries(key)) {
    if (typeof dir === 'string') {
      if (UNSUPPORTED_KINDS.has(dir) || field.includes('$**')) {
        throw new MongoCommandError(
          ErrorCode.CannotCreateIndex,
          `${dir} indexes are not supported by the embedded MongoDB server`,
        );
      }
      if (dir !== 'hashed')
        throw new MongoCommandError(ErrorCode.CannotCreateIndex, `Unknown index plugin '${dir}'`);
      normalized[field] = dir;
      continue;
    }
    const n = Number(dir);
    if (!Number.isFinite(n) || n === 0) {
      throw new MongoCommandError(
        ErrorCode.CannotCreateIndex,
        `Values in the index key pattern can't be 0: ${field}`,
      );
    }
    normalized[field] = dir;
  }
  const name = typeof doc.name === 'string' && doc.name.length > 0 ? doc.name : defaultName(key);
  const spec: IndexSpec = { name, key: normalized };
  if (doc.unique === true) spec.unique = true;
  if (doc.sparse === true) spec.sparse = true;
  if (doc.partialFilterExpression !== undefined) {
    spec.partialFilterExpression = requireDocument(doc.partialFilterExpression, 'partialFilterExpression');
  }
  if (doc.expireAfterSeconds !== undefined) {
    const secs = Number(doc.expireAfterSeconds);
    if (!Number.isFinite(secs) || secs < 0) {
      throw new MongoCommandError(
        ErrorCode.CannotCreateIndex,
        'TTL index expireAfterSeconds must be a non-negative number',
      );
    }
    spec.expireAfterSeconds = secs;
  }
  return spec;
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    Boolean(a.unique) === Boolean(b.unique) &&
    Boolean(a.sparse) === Boolean(b.sparse) &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    compareValues(a.collation ?? null, b.collation ?? null) === 0 &&
    compareValues(a.partialFilterExpression ?? null, b.partialFilterExpression ?? null) === 0
  );
}

function sameKey(a: IndexSpec, b: IndexSpec): boolean {
  return compareValues(a.key, b.key) === 0;
}

/**
 * Builds in the background (see IndexBuild): the server goes on answering other clients, and this
 * command answers once the indexes are ready. A request for an index already being built waits for that
 * build, as MongoDB's does.
 */
async function createIndexes(ctx: CommandContext): Promise<Document> {
  const name = collectionName(ctx.body, 'createIndexes');
  refuseWriteOnView(ctx.env.catalog, ctx.db, name);
  const raw = ctx.body.indexes;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw MongoCommandError.badValue('Must specify at least one index to create');
  }
  const specs = raw.map(parseSpec);
  const existed = ctx.env.catalog.get(ctx.db, name);
  raw.forEach((doc, i) => {
    indexCollation(specs[i]!, (doc as Document).collation, existed);
  });
  const coll = existed ?? ctx.env.catalog.getOrCreate(ctx.db, name);
  const before = coll.indexes.size + 1;
  const building = [...coll.indexBuilds].flatMap((build) =>
    build.indexes.map((index) => ({ spec: index.spec, finished: build.finished })),
  );
  const toBuild: IndexSpec[] = [];
  const awaited: Promise<void>[] = [];
  for (const spec of specs) {
    const all = [
      ID_INDEX_SPEC,
      ...[...coll.indexes.values()].map((i) => i.spec),
      ...building.map((b) => b.spec),
      ...toBuild,
    ];
    const byName = all.find((s) => s.name === spec.name);
    if (byName) {
      if (sameKey(byName, spec) && (byName === ID_INDEX_SPEC || sameOptions(byName, spec))) {
        const underway = building.find((b) => b.spec === byName);
        if (underway) awaited.push(underway.finished);
        continue;
      }
      if (!sameKey(byName, spec)) {
        throw new MongoCommandError(
          ErrorCode.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName)}`,
        );
      }
      throw new MongoCommandError(
        ErrorCode.IndexOptionsConflict,
        `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}`,
      );
    }
    const byKey = all.find((s) => sameKey(s, spec) && sameOptions(s, spec));
    if (byKey) {
      throw new MongoCommandError(
        ErrorCode.IndexOptionsConflict,
        `Index already exists with a different name: ${byKey.name}`,
      );
    }
    toBuild.push(spec);
  }
  if (toBuild.length > 0) awaited.push(coll.buildIndexes(toBuild));
  await Promise.all(awaited);
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size + 1,
    createdCollectionAutomatically: !existed,
  };
  if (toBuild.length === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
}

function describe(spec: IndexSpec): Document {
  const doc: Document = { v: 2, key: spec.key, name: spec.name };
  if (spec.unique) doc.unique = true;
  if (spec.sparse) doc.sparse = true;
  if (spec.partialFilterExpression) doc.partialFilterExpression = spec.partialFilterExpression;
  if (spec.expireAfterSeconds !== undefined) doc.expireAfterSeconds = spec.expireAfterSeconds;
  if (spec.collation) doc.collation = spec.collation;
  return doc;
}

function listIndexes(ctx: CommandContext): Promise<Buffer> {
  const name = collectionName(ctx.body, 'listIndexes');
  const coll = ctx.env.catalog.get(ctx.db, name);
  if (!coll) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  const cursor = requireDocument(ctx.body.cursor, 'cursor', {});
  const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  return ctx.env.cursors.open(
    `${ctx.db}.${name}`,
    coll.indexSpecs().map((spec) => describe(spec === ID_INDEX_SPEC ? idIndexSpec(coll) : spec)),
    batchSize === undefined ? {} : { batchSize },
  );
}

function dropIndexes(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, ctx.name);
  const coll = ctx.env.catalog.get(ctx.db, name);
  if (!coll) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
  const was = coll.indexes.size + 1;
  const target = ctx.body.index;
  // Dropping an index being built stops its build, as in MongoDB.
  const building = new Set(
    [...coll.indexBuilds].flatMap((build) => build.indexes.map((index) => index.name)),
  );
  let names: string[];
  if (target === '*') names = [...coll.indexes.keys(), ...building];
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (target && typeof target === 'object') {
    const found = coll.indexSpecs().find((s) => compareValues(s.key, target) === 0);
    if (!found) {
      throw new MongoCommandError(
        ErrorCode.IndexNotFound,
        `can't find index with key: ${JSON.stringify(target)}`,
      );
    }
    names = [found.name];
  } else {
    throw MongoCommandError.typeMismatch(
      "BSON field 'dropIndexes.index' must be a string, an array or an object",
    );
  }
  for (const indexName of names) {
    if (indexName === '_id_') throw new MongoCommandError(ErrorCode.InvalidOptions, 'cannot drop _id index');
    if (!coll.indexes.has(indexName) && !building.has(indexName)) {
      throw new MongoCommandError(ErrorCode.IndexNotFound, `index not found with name [${indexName}]`);
    }
  }
  for (const indexName of names) coll.dropIndex(indexName);
  return { nIndexesWas: was, ok: 1 };
}

/** createIndexes, listIndexes and dropIndexes. */
export function registerIndexCommands(dispatcher: CommandDispatcher): void {
  dispatcher.register('createIndexes', createIndexes);
  dispatcher.register('listIndexes', listIndexes);
  dispatcher.register(['dropIndexes', 'deleteIndexes'], dropIndexes);
}
