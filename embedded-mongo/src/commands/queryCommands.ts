import { type Document, Long } from 'bson';
import { pathValues } from '../bson/pathValues.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { comparatorOf } from './collation/Collation.js';
import { commandCollation } from './collation/commandCollation.js';
import { ErrorCode } from './errorCodes.js';
import { FindProjection } from './FindProjection.js';
import { bindFilter, parseLet } from './letVariables.js';
import { MongoCommandError } from './MongoCommandError.js';
import {
  collectionName,
  countMatches,
  countMatchesInSlices,
  type MatchStream,
  matchDocuments,
  nonNegativeInt,
  orderedMatches,
  PAUSE,
  type Pause,
  parseSort,
  requireDocument,
  streamMatches,
} from './queryEngine.js';
import { type ResolvedView, readView, resolveView } from './views.js';

interface FindPlan {
  ns: string;
  /** Produced lazily, as the cursor pulls them, with pause points (see PAUSE). */
  docs: Iterable<StoredDocument | Pause>;
  match: MatchStream;
  projection: FindProjection | undefined;
  batchSize: number | undefined;
  singleBatch: boolean;
}

function planFind(ctx: CommandContext, body: Document): FindPlan {
  const name = collectionName(body, 'find');
  const filter = bindFilter(requireDocument(body.filter, 'filter', {}), parseLet(body.let, 'find.let'));
  const sort = parseSort(body.sort);
  const skip = nonNegativeInt(body.skip, 'skip') ?? 0;
  let limit = body.limit === undefined || body.limit === null ? 0 : Number(body.limit);
  let singleBatch = body.singleBatch === true;
  if (limit < 0) {
    // Legacy negative limit: one batch of |limit| documents.
    limit = -limit;
    singleBatch = true;
  }
  const batchSize = nonNegativeInt(body.batchSize, 'batchSize');
  const projection = FindProjection.compile(body.projection, filter);
  const coll = ctx.env.catalog.get(ctx.db, name);
  const collation = commandCollation(body, coll);
  const match = streamMatches(coll, filter, sort, true, collation);
  const docs = orderedMatches(match, sort, skip, limit > 0 ? limit : Number.POSITIVE_INFINITY, collation);
  return { ns: `${ctx.db}.${name}`, docs, match, projection, batchSize, singleBatch };
}

/** A find on a view: its pipeline, then the find's filter, sort, skip and limit as stages. */
function findOnView(ctx: CommandContext, view: ResolvedView): Promise<Buffer> {
  const body = ctx.body;
  const name = collectionName(body, 'find');
  const collation = commandCollation(body, view.source);
  const filter = bindFilter(requireDocument(body.filter, 'filter', {}), parseLet(body.let, 'find.let'));
  const stages: Document[] = [{ $match: filter }];
  if (parseSort(body.sort).length > 0) stages.push({ $sort: body.sort });
  const skip = nonNegativeInt(body.skip, 'skip') ?? 0;
  if (skip > 0) stages.push({ $skip: skip });
  const limit = Math.abs(Number(body.limit ?? 0)) || 0;
  if (limit > 0) stages.push({ $limit: limit });
  const projection = FindProjection.compile(body.projection, filter);
  const batchSize = nonNegativeInt(body.batchSize, 'batchSize');
  return ctx.env.cursors.open(
    `${ctx.db}.${name}`,
    readView(ctx.env.catalog, ctx.db, view, stages, collation),
    {
      ...(batchSize === undefined ? {} : { batchSize }),
      singleBatch: body.singleBatch === true || Number(body.limit ?? 0) < 0,
      ...(projection ? { projection } : {}),
    },
  );
}

function find(ctx: CommandContext): Promise<Buffer> {
  const view = resolveView(ctx.env.catalog, ctx.db, collectionName(ctx.body, 'find'));
  if (view) return findOnView(ctx, view);
  const plan = planFind(ctx, ctx.body);
  return ctx.env.cursors.open(plan.ns, plan.docs, {
    batchSize: plan.batchSize === 0 ? 0 : plan.batchSize,
    singleBatch: plan.singleBatch,
    ...(plan.projection ? { projection: plan.projection } : {}),
  });
}

function winningPlan(match: MatchStream, keyPattern: Document | undefined): Document {
  if (match.stage.startsWith('IXSCAN')) {
    return { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: match.indexName, keyPattern } };
  }
  return { stage: match.stage };
}

function explain(ctx: CommandContext): Document {
  const inner = requireDocument(ctx.body.explain, 'explain');
  const innerName = Object.keys(inner)[0];
  if (innerName !== 'find' && innerName !== 'count') {
    throw new MongoCommandError(
      ErrorCode.CommandNotSupported,
      `explain is only supported for find and count, not ${innerName}`,
    );
  }
  if (innerName === 'count') return explainCount(ctx, inner);
  const plan = planFind(ctx, inner);
  // Runs the query as find would (stopping where find stops) so the counters are the real work.
  let nReturned = 0;
  for (const doc of plan.docs) if (doc !== PAUSE) nReturned++;
  const coll = ctx.env.catalog.get(ctx.db, String(inner.find));
  const keyPattern = plan.match.indexName ? coll?.indexes.get(plan.match.indexName)?.spec.key : undefined;
  return {
    queryPlanner: {
      namespace: plan.ns,
      parsedQuery: inner.filter ?? {},
      winningPlan: winningPlan(plan.match, keyPattern),
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned,
      totalDocsExamined: plan.match.stats.docsExamined,
      totalKeysExamined: plan.match.stats.keysExamined,
    },
    ok: 1,
  };
}

function explainCount(ctx: CommandContext, inner: Document): Document {
  const name = collectionName(inner, 'count');
  const query = requireDocument(inner.query, 'query', {});
  const coll = ctx.env.catalog.get(ctx.db, name);
  const result = countMatches(coll, query, Number.POSITIVE_INFINITY, commandCollation(inner, coll));
  const keyPattern = result.indexName ? coll?.indexes.get(result.indexName)?.spec.key : undefined;
  let input: Document = { stage: result.stage };
  if (result.stage === 'COUNT_SCAN') input = { stage: 'COUNT_SCAN', indexName: result.indexName, keyPattern };
  else if (result.stage.startsWith('IXSCAN'))
    input = winningPlan({ ...result, docs: [], sortProvided: 0 }, keyPattern);
  return {
    queryPlanner: {
      namespace: `${ctx.db}.${name}`,
      parsedQuery: query,
      winningPlan: { stage: 'COUNT', inputStage: input },
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned: 0,
      nCounted: result.n,
      totalDocsExamined: result.stats.docsExamined,
      totalKeysExamined: result.stats.keysExamined,
    },
    ok: 1,
  };
}

function toLong(value: unknown, field: string): Long {
  if (value instanceof Long) return value;
  if (typeof value === 'number' && Number.isInteger(value)) return Long.fromNumber(value);
  if (typeof value === 'bigint') return Long.fromBigInt(value);
  throw MongoCommandError.typeMismatch(`BSON field '${field}' is the wrong type, expected type 'long'`);
}

function getMore(ctx: CommandContext): Promise<Buffer> {
  const id = toLong(ctx.body.getMore, 'getMore.getMore');
  const coll = ctx.body.collection;
  if (typeof coll !== 'string')
    throw MongoCommandError.typeMismatch("BSON field 'getMore.collection' must be a string");
  const batchSize = nonNegativeInt(ctx.body.batchSize, 'batchSize');
  return ctx.env.cursors.getMore(id, `${ctx.db}.${coll}`, batchSize);
}

function killCursors(ctx: CommandContext): Document {
  collectionName(ctx.body, 'killCursors');
  const ids = ctx.body.cursors;
  if (!Array.isArray(ids))
    throw MongoCommandError.typeMismatch("BSON field 'killCursors.cursors' must be an array");
  const { killed, notFound } = ctx.env.cursors.kill(ids.map((id) => toLong(id, 'killCursors.cursors')));
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

async function count(ctx: CommandContext): Promise<Document> {
  const name = collectionName(ctx.body, 'count');
  const query = requireDocument(ctx.body.query, 'query', {});
  const skip = nonNegativeInt(ctx.body.skip, 'skip') ?? 0;
  const limit = Math.abs(Number(ctx.body.limit ?? 0)) || 0;
  const view = resolveView(ctx.env.catalog, ctx.db, name);
  if (view) {
    const collation = commandCollation(ctx.body, view.source);
    const total = readView(ctx.env.catalog, ctx.db, view, [{ $match: query }], collation).length;
    const shown = Math.max(0, total - skip);
    return { n: limit > 0 ? Math.min(shown, limit) : shown, ok: 1 };
  }
  const coll = ctx.env.catalog.get(ctx.db, name);
  const collation = commandCollation(ctx.body, coll);
  let n = (
    await countMatchesInSlices(coll, query, limit > 0 ? skip + limit : Number.POSITIVE_INFINITY, collation)
  ).n;
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
}

function distinct(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'distinct');
  const key = ctx.body.key;
  if (typeof key !== 'string')
    throw MongoCommandError.typeMismatch("BSON field 'distinct.key' must be a string");
  const query = requireDocument(ctx.body.query, 'query', {});
  const view = resolveView(ctx.env.catalog, ctx.db, name);
  const coll = view ? view.source : ctx.env.catalog.get(ctx.db, name);
  const collation = commandCollation(ctx.body, coll);
  const compare = comparatorOf(collation);
  const docs = view
    ? readView(ctx.env.catalog, ctx.db, view, [{ $match: query }], collation)
    : matchDocuments(coll, query, Number.POSITIVE_INFINITY, collation).docs.map((stored) => stored.doc);
  const values: unknown[] = [];
  for (const doc of docs) {
    for (const value of pathValues(doc, key)) if (value !== undefined) values.push(value);
  }
  // Stable: of collation-equal values the first found is the one reported, as mongod does.
  values.sort(compare);
  const unique = values.filter((v, i) => i === 0 || compare(values[i - 1], v) !== 0);
  return { values: unique, ok: 1 };
}

/** find, getMore, killCursors, count, distinct and explain. */
export function registerQueryCommands(dispatcher: CommandDispatcher): void {
  const readOnly = { readOnly: true };
  dispatcher.register('find', find, readOnly);
  dispatcher.register('getMore', getMore, readOnly);
  dispatcher.register('killCursors', killCursors, readOnly);
  dispatcher.register('count', count, readOnly);
  dispatcher.register('distinct', distinct, readOnly);
  dispatcher.register('explain', explain, readOnly);
}
