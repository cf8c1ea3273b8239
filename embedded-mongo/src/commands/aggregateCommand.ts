import type { Document } from 'bson';
import type { Collection } from '../storage/Collection.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { collationOptions } from './collation/collationContext.js';
import { commandCollation } from './collation/commandCollation.js';
import { ErrorCode } from './errorCodes.js';
import { bindFilter, parseLet } from './letVariables.js';
import { listLocalSessions } from './listLocalSessionsStage.js';
import { MongoCommandError } from './MongoCommandError.js';
import { parseMerge, runMerge } from './mergeStage.js';
import { createAggregator } from './mingoOperators.js';
import { countMatchesInSlices, matchDocuments, nonNegativeInt, requireDocument } from './queryEngine.js';
import { refuseWriteOnView, resolveView } from './views.js';

const UNSUPPORTED_STAGES: Record<string, string> = {
  $currentOp: '$currentOp is not supported by the embedded MongoDB server',
  $listSessions: '$listSessions is not supported by the embedded MongoDB server',
  $search: '$search requires Atlas Search',
  $vectorSearch: '$vectorSearch requires Atlas Search',
  $geoNear: '$geoNear is not supported by the embedded MongoDB server',
};

function stageName(stage: unknown): string {
  if (stage === null || typeof stage !== 'object' || Array.isArray(stage)) {
    throw MongoCommandError.typeMismatch("Each element of the 'pipeline' array must be an object");
  }
  const keys = Object.keys(stage);
  if (keys.length !== 1) {
    throw new MongoCommandError(
      40323,
      'A pipeline stage specification object must contain exactly one field.',
    );
  }
  return keys[0]!;
}

/**
 * `[$skip?, $limit?, {$group: {_id: <constant>, n: {$sum: 1}}}]`, the tail the drivers'
 * countDocuments sends: answered by counting, without decoding a single document.
 */
function countTail(
  stages: Document[],
): { id: unknown; field: string; skip: number; limit: number } | undefined {
  let skip = 0;
  let limit = Number.POSITIVE_INFINITY;
  let i = 0;
  if (stages[i]?.$skip !== undefined) skip = Number(stages[i++]!.$skip);
  if (stages[i]?.$limit !== undefined) limit = Number(stages[i++]!.$limit);
  if (i !== stages.length - 1 || !Number.isInteger(skip) || skip < 0 || !(limit > 0)) return undefined;
  const group = stages[i]!.$group as Document | undefined;
  if (!group || typeof group !== 'object') return undefined;
  const keys = Object.keys(group);
  if (keys.length !== 2 || keys[0] !== '_id') return undefined;
  const id = group._id;
  const constant = id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$'));
  const field = keys[1]!;
  const sum = group[field] as Document | undefined;
  if (!constant || !sum || Object.keys(sum).length !== 1 || sum.$sum !== 1) return undefined;
  return { id, field, skip, limit };
}

function decodeAll(coll: Collection): Document[] {
  const out: Document[] = [];
  for (const stored of coll.documents()) out.push(stored.doc);
  return out;
}

async function aggregate(ctx: CommandContext): Promise<Buffer | Document> {
  const body = ctx.body;
  const pipeline = body.pipeline;
  if (!Array.isArray(pipeline))
    throw MongoCommandError.typeMismatch("'pipeline' option must be specified as an array");
  const names = pipeline.map(stageName);
  const variables = parseLet(body.let, 'aggregate.let');
  if (names.includes('$changeStream')) {
    throw new MongoCommandError(
      ErrorCode.ChangeStreamNotSupported,
      'The $changeStream stage is only supported on replica sets',
    );
  }
  for (const name of names) {
    const reason = UNSUPPORTED_STAGES[name];
    if (reason) throw new MongoCommandError(ErrorCode.CommandNotSupported, reason);
  }
  const outAt = names.indexOf('$out');
  if (outAt >= 0 && outAt !== names.length - 1) {
    throw new MongoCommandError(40601, '$out can only be the final stage in the pipeline');
  }
  const mergeAt = names.indexOf('$merge');
  if (mergeAt >= 0 && mergeAt !== names.length - 1) {
    throw new MongoCommandError(40601, '$merge can only be the final stage in the pipeline');
  }
  const merge = mergeAt >= 0 ? parseMerge((pipeline[mergeAt] as Document).$merge, ctx.db) : undefined;
  if (body.explain === true) {
    throw new MongoCommandError(
      ErrorCode.CommandNotSupported,
      'aggregate explain is not supported by the embedded MongoDB server',
    );
  }
  if (body.cursor === undefined) {
    throw new MongoCommandError(
      ErrorCode.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const cursorOptions = requireDocument(body.cursor, 'cursor', {});
  const batchSize = nonNegativeInt(cursorOptions.batchSize, 'cursor.batchSize');

  const collName = typeof body.aggregate === 'string' ? body.aggregate : undefined;
  if (!collName && body.aggregate !== 1) {
    throw MongoCommandError.typeMismatch("Invalid type for 'aggregate': must be a collection name or 1");
  }
  const view = collName ? resolveView(ctx.env.catalog, ctx.db, collName) : undefined;
  // On a view, its pipeline runs first, over the collection at the end of its chain.
  const coll = view ? view.source : collName ? ctx.env.catalog.get(ctx.db, collName) : undefined;
  const collation = commandCollation(body, coll);
  let stages = view ? [...view.pipeline, ...(pipeline as Document[])] : (pipeline as Document[]);
  let sessions: Document[] | undefined;
  if (names[0] === '$listLocalSessions') {
    sessions = listLocalSessions(ctx, stages[0]!.$listLocalSessions, collName !== undefined);
    stages = stages.slice(1);
  } else if (names.includes('$listLocalSessions')) {
    throw new MongoCommandError(40602, '$listLocalSessions is only valid as the first stage in a pipeline');
  }
  let filter: Document | undefined;
  if (!view && names[0] === '$match') {
    filter = bindFilter(requireDocument(stages[0]!.$match, '$match'), variables);
    stages = stages.slice(1);
  }
  const ns = collName ? `${ctx.db}.${collName}` : `${ctx.db}.$cmd.aggregate`;
  const tail = outAt < 0 && !merge && !view && collName ? countTail(stages) : undefined;
  if (tail) {
    // countDocuments: counted from index entries when the index bounds decide the filter.
    const total = (await countMatchesInSlices(coll, filter ?? {}, tail.skip + tail.limit, collation)).n;
    const n = Math.min(Math.max(0, total - tail.skip), tail.limit);
    const results = n > 0 ? [{ _id: tail.id, [tail.field]: n }] : [];
    return ctx.env.cursors.open(ns, results, batchSize === undefined ? {} : { batchSize });
  }
  // A leading $match goes through the planner so an index narrows the input.
  const matched: StoredDocument[] | undefined = filter
    ? matchDocuments(coll, filter, Number.POSITIVE_INFINITY, collation).docs
    : undefined;
  const input = sessions ?? (matched ? matched.map((stored) => stored.doc) : coll ? decodeAll(coll) : []);
  let out: Document | string | undefined;
  if (outAt >= 0) {
    out = stages[stages.length - 1]!.$out as Document | string;
    stages = stages.slice(0, -1);
  }
  if (merge) stages = stages.slice(0, -1);
  const catalog = ctx.env.catalog;
  let results: Document[];
  try {
    const options: Document = {
      ...collationOptions(collation),
      collectionResolver: (name: string) => {
        const other = catalog.get(ctx.db, name);
        return other ? decodeAll(other) : [];
      },
    };
    if (variables) options.variables = variables;
    results = stages.length > 0 ? (createAggregator(stages, options).run(input) as Document[]) : input;
  } catch (error) {
    throw MongoCommandError.from(error);
  }
  if (out !== undefined) {
    const target =
      typeof out === 'string'
        ? { db: ctx.db, coll: out }
        : { db: String(out.db ?? ctx.db), coll: String(out.coll) };
    refuseWriteOnView(catalog, target.db, target.coll);
    catalog.drop(target.db, target.coll);
    const dest = catalog.getOrCreate(target.db, target.coll);
    for (const doc of results) dest.insert(doc);
    results = [];
  }
  if (merge) {
    refuseWriteOnView(catalog, merge.db, merge.coll);
    try {
      runMerge(catalog, merge, results);
    } catch (error) {
      throw MongoCommandError.from(error).causing('PlanExecutor error during aggregation');
    }
    results = [];
  }
  return ctx.env.cursors.open(ns, results, batchSize === undefined ? {} : { batchSize });
}

/** aggregate, with mingo's pipeline semantics and the planner for a leading $match. */
export function registerAggregateCommand(dispatcher: CommandDispatcher): void {
  dispatcher.register('aggregate', aggregate);
}
