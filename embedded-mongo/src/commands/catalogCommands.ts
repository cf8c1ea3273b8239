import type { Document } from 'bson';
import { Query } from 'mingo';
import { validateCollectionName, validateDbName } from '../storage/Catalog.js';
import type { Collection } from '../storage/Collection.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { Collation } from './collation/Collation.js';
import { checkValidator } from './documentValidator.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { collectionName, compileFilter, requireDocument } from './queryEngine.js';
import { checkViewDefinition, isView } from './views.js';

const UNSUPPORTED_CREATE_OPTIONS: Record<string, string> = {
  capped: 'capped collections',
  timeseries: 'time series collections',
  clusteredIndex: 'clustered collections',
  encryptedFields: 'queryable encryption',
  changeStreamPreAndPostImages: 'change stream images',
};

function create(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'create');
  const options: Document = {};
  for (const [key, value] of Object.entries(ctx.body)) {
    if (
      key === 'create' ||
      key.startsWith('$') ||
      key === 'lsid' ||
      key === 'writeConcern' ||
      key === 'comment'
    )
      continue;
    const feature = UNSUPPORTED_CREATE_OPTIONS[key];
    if (feature && value !== false && value !== undefined && value !== null) {
      throw new MongoCommandError(
        ErrorCode.CommandNotSupported,
        `${feature} are not supported by the embedded MongoDB server`,
      );
    }
    options[key] = value;
  }
  // Kept with every field filled in, as listCollections shows it; `simple` is no default collation.
  const collation = Collation.parse(options.collation);
  if (collation) options.collation = collation.toDocument();
  else delete options.collation;
  if (options.viewOn !== undefined || options.pipeline !== undefined) {
    options.pipeline = checkViewDefinition(options.viewOn, options.pipeline);
  }
  if (options.validator !== undefined) checkValidator(options.validator);
  ctx.env.catalog.create(ctx.db, name, options);
  return { ok: 1 };
}

function drop(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'drop');
  const coll = ctx.env.catalog.get(ctx.db, name);
  if (!coll) return { ok: 1 };
  const nIndexesWas = coll.indexes.size + 1;
  ctx.env.catalog.drop(ctx.db, name);
  return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
}

function dropDatabase(ctx: CommandContext): Document {
  validateDbName(ctx.db);
  ctx.env.catalog.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
}

function renameCollection(ctx: CommandContext): Document {
  if (ctx.db !== 'admin')
    throw new MongoCommandError(
      ErrorCode.Unauthorized,
      'renameCollection may only be run against the admin database.',
    );
  const from = ctx.body.renameCollection;
  const to = ctx.body.to;
  if (typeof from !== 'string' || typeof to !== 'string') {
    throw MongoCommandError.typeMismatch("'renameCollection' and 'to' must be namespace strings");
  }
  ctx.env.catalog.rename(from, to, ctx.body.dropTarget === true);
  return { ok: 1 };
}

function collectionInfo(coll: Collection): Document {
  if (isView(coll)) {
    return { name: coll.name, type: 'view', options: coll.options, info: { readOnly: true } };
  }
  return {
    name: coll.name,
    type: 'collection',
    options: coll.options,
    info: { readOnly: false, uuid: coll.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

function listCollections(ctx: CommandContext): Promise<Buffer> {
  validateDbName(ctx.db);
  const filter = requireDocument(ctx.body.filter, 'filter', {});
  const query = Object.keys(filter).length > 0 ? compileFilter(filter) : undefined;
  const nameOnly = ctx.body.nameOnly === true;
  const infos = ctx.env.catalog
    .collections(ctx.db)
    .map(collectionInfo)
    .filter((info) => !query || query.test(info))
    .map((info) => (nameOnly ? { name: info.name, type: info.type } : info));
  const cursor = requireDocument(ctx.body.cursor, 'cursor', {});
  const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  return ctx.env.cursors.open(
    `${ctx.db}.$cmd.listCollections`,
    infos,
    batchSize === undefined ? {} : { batchSize },
  );
}

function databaseSize(ctx: CommandContext, db: string): number {
  let size = 0;
  for (const coll of ctx.env.catalog.collections(db)) size += coll.dataBytes;
  return size;
}

function listDatabases(ctx: CommandContext): Document {
  const filter = requireDocument(ctx.body.filter, 'filter', {});
  const query = Object.keys(filter).length > 0 ? new Query(filter) : undefined;
  const nameOnly = ctx.body.nameOnly === true;
  let totalSize = 0;
  const databases: Document[] = [];
  // Without auth everyone sees every database; with it, the databases the user may read (authorizedDatabases).
  const privileges = ctx.env.authEnabled ? ctx.client.privileges(ctx.env.users) : undefined;
  for (const name of ctx.env.catalog.databases().sort()) {
    if (privileges && !privileges.mayRead(name)) continue;
    const sizeOnDisk = databaseSize(ctx, name);
    const info: Document = nameOnly ? { name } : { name, sizeOnDisk, empty: sizeOnDisk === 0 };
    if (query && !query.test(info)) continue;
    totalSize += sizeOnDisk;
    databases.push(info);
  }
  return nameOnly
    ? { databases, ok: 1 }
    : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
}

function collStats(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'collStats');
  validateCollectionName(ctx.db, name);
  const scale = Math.max(1, Number(ctx.body.scale ?? 1) || 1);
  const coll = ctx.env.catalog.get(ctx.db, name);
  if (!coll)
    throw new MongoCommandError(ErrorCode.NamespaceNotFound, `Collection [${ctx.db}.${name}] not found.`);
  const count = coll.size;
  const size = coll.dataBytes;
  const indexSizes: Document = { _id_: Math.round((count * 32) / scale) };
  let totalIndexSize = indexSizes._id_ as number;
  for (const index of coll.indexes.values()) {
    const bytes = Math.round((index.tree.size * 48) / scale);
    indexSizes[index.name] = bytes;
    totalIndexSize += bytes;
  }
  return {
    ns: coll.ns,
    count,
    size: Math.round(size / scale),
    avgObjSize: count === 0 ? 0 : Math.round(size / count),
    storageSize: Math.round(size / scale),
    nindexes: coll.indexes.size + 1,
    totalIndexSize,
    indexSizes,
    scaleFactor: scale,
    ok: 1,
  };
}

function dbStats(ctx: CommandContext): Document {
  validateDbName(ctx.db);
  const scale = Math.max(1, Number(ctx.body.scale ?? 1) || 1);
  const all = ctx.env.catalog.collections(ctx.db);
  const colls = all.filter((coll) => !isView(coll));
  let objects = 0;
  let indexes = 0;
  let dataSize = 0;
  for (const coll of colls) {
    objects += coll.size;
    indexes += coll.indexes.size + 1;
    dataSize += coll.dataBytes;
  }
  return {
    db: ctx.db,
    collections: colls.length,
    views: all.length - colls.length,
    objects,
    avgObjSize: objects === 0 ? 0 : dataSize / objects,
    dataSize: dataSize / scale,
    storageSize: dataSize / scale,
    indexes,
    scaleFactor: scale,
    ok: 1,
  };
}

/** Collection and database management and statistics. */
export function registerCatalogCommands(dispatcher: CommandDispatcher): void {
  dispatcher.register('create', create);
  dispatcher.register('drop', drop);
  dispatcher.register('dropDatabase', dropDatabase);
  dispatcher.register('renameCollection', renameCollection);
  dispatcher.register('listCollections', listCollections);
  dispatcher.register('listDatabases', listDatabases);
  dispatcher.register('collStats', collStats);
  dispatcher.register('dbStats', dbStats);
}
