import type { Document } from 'bson';
import { Query } from 'mingo';
import { Query as BaseQuery } from 'mingo/query';
import { compareValues } from '../bson/compareValues.js';
import { pathValues } from '../bson/pathValues.js';
import type { PlanStats } from '../indexes/QueryPlanner.js';
import { runInSlices } from '../scheduling/runInSlices.js';
import type { Collection } from '../storage/Collection.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import type { Collation } from './collation/Collation.js';
import { comparatorOf } from './collation/Collation.js';
import { collationOptions } from './collation/collationContext.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';

/** Documents matching a filter, with how they were found. */
export interface MatchResult {
  docs: StoredDocument[];
  stage: string;
  indexName?: string;
  examined: number;
}

/**
 * Yielded among the documents of a stream that pauses: a point where the consumer may let the event loop
 * serve other clients, because the stream has been reading for a while without producing anything (a
 * filter no index narrows, a large skip, a sort gathering its input).
 */
export const PAUSE = Symbol('pause');
export type Pause = typeof PAUSE;

/** Candidates read without a result between two pause points. */
const READ_PER_PAUSE = 256;

/** Matching documents produced on demand, with how they are found. */
export interface MatchStream {
  /** Lazily matched: stopping early leaves the rest of the candidates unread. With pauses, if asked for. */
  docs: Iterable<StoredDocument | Pause>;
  stage: string;
  indexName?: string;
  /** Live counters: they grow as `docs` is consumed. */
  stats: PlanStats;
  /** How many leading sort fields the order of `docs` already gives. */
  sortProvided: number;
}

export function requireDocument(value: unknown, field: string, fallback?: Document): Document {
  if (value === undefined || value === null) {
    if (fallback) return fallback;
    throw new MongoCommandError(
      ErrorCode.FailedToParse,
      `BSON field '${field}' is missing but a required field`,
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw MongoCommandError.typeMismatch(
      `BSON field '${field}' is the wrong type '${typeof value}', expected type 'object'`,
    );
  }
  return value as Document;
}

/** Compiles a filter with mingo (comparing strings through `collation`, if any), turning its parse errors into MongoDB's BadValue. */
export function compileFilter(filter: Document, collation?: Collation): Query {
  try {
    // mingo's own Query puts its built-in operators before a given context's: the base class takes the
    // context as it is, so the collated comparisons replace the built-in ones.
    return collation ? new BaseQuery(filter, collationOptions(collation)) : new Query(filter);
  } catch (error) {
    throw MongoCommandError.from(error);
  }
}

function isEmpty(filter: Document): boolean {
  for (const _ in filter) return false;
  return true;
}

function* matching(docs: Iterable<StoredDocument>, query: Query): Generator<StoredDocument> {
  try {
    for (const doc of docs) if (query.test(doc.doc)) yield doc;
  } catch (error) {
    throw MongoCommandError.from(error);
  }
}

/** As `matching`, with a pause after every READ_PER_PAUSE candidates that did not match. */
function* matchingWithPauses(
  docs: Iterable<StoredDocument>,
  query: Query,
): Generator<StoredDocument | Pause> {
  let misses = 0;
  try {
    for (const doc of docs) {
      if (query.test(doc.doc)) yield doc;
      else if (++misses % READ_PER_PAUSE === 0) yield PAUSE;
    }
  } catch (error) {
    throw MongoCommandError.from(error);
  }
}

/**
 * Plans `filter` (preferring an index that gives `sort`) and matches candidates as they are pulled;
 * `pauses`: with pause points among the matches (see PAUSE).
 */
export function streamMatches(
  coll: Collection | undefined,
  filter: Document,
  sort: Array<[string, number]> = [],
  pauses = false,
  collation?: Collation,
): MatchStream {
  if (!coll) return { docs: [], stage: 'EOF', stats: { keysExamined: 0, docsExamined: 0 }, sortProvided: 0 };
  const plan = coll.plan(filter, sort, collation);
  // Compiled up front so a bad filter fails the command even when there are no candidates.
  const docs =
    isEmpty(filter) || plan.exact
      ? plan.docs
      : (pauses ? matchingWithPauses : matching)(plan.docs, compileFilter(filter, collation));
  const stream: MatchStream = { docs, stage: plan.stage, stats: plan.stats, sortProvided: plan.sortProvided };
  if (plan.indexName) stream.indexName = plan.indexName;
  return stream;
}

/** A count and how it was found. */
export interface CountResult {
  n: number;
  /** `COUNT_SCAN` when counted from index entries alone, else the plan's stage. */
  stage: string;
  indexName?: string;
  stats: PlanStats;
}

/** Counts matches of `filter` up to `limit`; from index entries alone when the bounds decide the filter. */
export function countMatches(
  coll: Collection | undefined,
  filter: Document,
  limit: number,
  collation?: Collation,
): CountResult {
  const steps = countSteps(coll, filter, limit, collation);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** As `countMatches`, letting the event loop serve other clients while it reads candidates one by one. */
export function countMatchesInSlices(
  coll: Collection | undefined,
  filter: Document,
  limit: number,
  collation?: Collation,
): Promise<CountResult> {
  return runInSlices(countSteps(coll, filter, limit, collation));
}

/** The count, with a pause point (a `yield`) among the candidates it reads. */
function* countSteps(
  coll: Collection | undefined,
  filter: Document,
  limit: number,
  collation?: Collation,
): Generator<Pause, CountResult> {
  const stats = { keysExamined: 0, docsExamined: 0 };
  if (!coll || limit <= 0) return { n: 0, stage: 'EOF', stats };
  if (isEmpty(filter)) return { n: Math.min(limit, coll.size), stage: 'RECORD_STORE_FAST_COUNT', stats };
  const plan = coll.plan(filter, [], collation);
  const result: CountResult = { n: 0, stage: plan.stage, stats: plan.stats };
  if (plan.indexName) result.indexName = plan.indexName;
  if (plan.exact) {
    result.n = plan.count(limit);
    if (plan.stage.startsWith('IXSCAN')) result.stage = 'COUNT_SCAN';
    return result;
  }
  for (const doc of matchingWithPauses(plan.docs, compileFilter(filter, collation))) {
    if (doc === PAUSE) yield PAUSE;
    else if (++result.n >= limit) break;
  }
  return result;
}

/** Runs the planner then the mingo matcher on the candidates only, stopping after `limit` matches. */
export function matchDocuments(
  coll: Collection | undefined,
  filter: Document,
  limit = Number.POSITIVE_INFINITY,
  collation?: Collation,
): MatchResult {
  const stream = streamMatches(coll, filter, [], false, collation);
  const docs: StoredDocument[] = [];
  if (limit > 0) {
    for (const doc of stream.docs) {
      if (doc === PAUSE) continue;
      docs.push(doc);
      if (docs.length >= limit) break;
    }
  }
  const result: MatchResult = { docs, stage: stream.stage, examined: stream.stats.docsExamined };
  if (stream.indexName) result.indexName = stream.indexName;
  return result;
}

/** Validates a sort spec and returns its [path, direction] pairs. */
export function parseSort(sort: unknown): Array<[string, number]> {
  if (sort === undefined || sort === null) return [];
  const spec = requireDocument(sort, 'sort');
  return Object.entries(spec).map(([path, dir]) => {
    const n = Number(dir);
    if (n !== 1 && n !== -1) {
      throw new MongoCommandError(
        15975,
        '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
      );
    }
    return [path, n];
  });
}

type Compare = (a: unknown, b: unknown) => number;

function sortKey(doc: Document, path: string, direction: number, compare: Compare = compareValues): unknown {
  const values = pathValues(doc, path);
  if (values.length === 1) return values[0];
  // An array sorts by its smallest element ascending, its largest descending.
  let best = values[0];
  for (const value of values) if (compare(value, best) * direction < 0) best = value;
  return best;
}

interface Keyed {
  doc: StoredDocument;
  keys: unknown[];
  /** Arrival order: ties keep it, as the stable full sort does. */
  seq: number;
}

/** The top-level fields a sort reads, for decoding only those. */
function sortFields(sort: Array<[string, number]>): Buffer[] {
  return [...new Set(sort.map(([path]) => path.split('.')[0]!))].map((name) => Buffer.from(name, 'utf8'));
}

function keyedComparator(sort: Array<[string, number]>, compare: Compare): (a: Keyed, b: Keyed) => number {
  return (a, b) => {
    for (let i = 0; i < sort.length; i++) {
      const c = compare(a.keys[i], b.keys[i]);
      if (c !== 0) return c * sort[i]![1];
    }
    return a.seq - b.seq;
  };
}

function keyed(
  doc: StoredDocument,
  sort: Array<[string, number]>,
  fields: Buffer[],
  seq: number,
  compare: Compare,
): Keyed {
  const picked = doc.pick(fields);
  return { doc, keys: sort.map(([path, dir]) => sortKey(picked, path, dir, compare)), seq };
}

/** Sorts in place with MongoDB's BSON ordering, strings compared through `collation` if given. */
export function sortDocuments(
  docs: StoredDocument[],
  sort: Array<[string, number]>,
  collation?: Collation,
): StoredDocument[] {
  if (sort.length === 0) return docs;
  const compare = comparatorOf(collation);
  const fields = sortFields(sort);
  const all = docs.map((doc, i) => keyed(doc, sort, fields, i, compare));
  all.sort(keyedComparator(sort, compare));
  for (let i = 0; i < docs.length; i++) docs[i] = all[i]!.doc;
  return docs;
}

/**
 * The first `k` documents in `sort` order, the same as a stable full sort would give, holding
 * at most 2k at a time: the buffer is cut back to k whenever it fills, and anything not
 * better than the current k-th is dropped at once. Pauses pass through, and it pauses itself
 * every READ_PER_PAUSE documents read.
 */
function* topDocuments(
  docs: Iterable<StoredDocument | Pause>,
  sort: Array<[string, number]>,
  k: number,
  compare: Compare,
): Generator<Pause, StoredDocument[]> {
  if (k <= 0) return [];
  const cmp = keyedComparator(sort, compare);
  const fields = sortFields(sort);
  let buffer: Keyed[] = [];
  let worst: Keyed | undefined;
  let seq = 0;
  for (const doc of docs) {
    if (doc === PAUSE || (seq > 0 && seq % READ_PER_PAUSE === 0)) yield PAUSE;
    if (doc === PAUSE) continue;
    const item = keyed(doc, sort, fields, seq++, compare);
    if (worst && cmp(item, worst) >= 0) continue;
    buffer.push(item);
    if (buffer.length >= 2 * k) {
      buffer.sort(cmp);
      buffer = buffer.slice(0, k);
      worst = buffer[k - 1];
    }
  }
  buffer.sort(cmp);
  return buffer.slice(0, k).map((item) => item.doc);
}

/** Every document of `docs`, pausing where it does and every READ_PER_PAUSE documents. */
function* gather(docs: Iterable<StoredDocument | Pause>): Generator<Pause, StoredDocument[]> {
  const all: StoredDocument[] = [];
  for (const doc of docs) {
    if (doc === PAUSE || (all.length > 0 && all.length % READ_PER_PAUSE === 0)) yield PAUSE;
    if (doc !== PAUSE) all.push(doc);
  }
  return all;
}

/** Documents already in order on the first `provided` sort fields: only runs of ties get sorted. */
function* sortWithinTies(
  docs: Iterable<StoredDocument | Pause>,
  sort: Array<[string, number]>,
  provided: number,
  collation: Collation | undefined,
): Generator<StoredDocument | Pause> {
  const compare = comparatorOf(collation);
  const leading = sort.slice(0, provided);
  const fields = sortFields(leading);
  let group: StoredDocument[] = [];
  let groupKeys: unknown[] = [];
  for (const doc of docs) {
    if (doc === PAUSE) {
      yield PAUSE;
      continue;
    }
    const picked = doc.pick(fields);
    const keys = leading.map(([path, dir]) => sortKey(picked, path, dir, compare));
    if (group.length > 0 && keys.every((key, i) => compare(key, groupKeys[i]) === 0)) {
      group.push(doc);
      continue;
    }
    if (group.length > 0) yield* sortDocuments(group, sort, collation);
    group = [doc];
    groupKeys = keys;
  }
  if (group.length > 0) yield* sortDocuments(group, sort, collation);
}

function* window(
  docs: Iterable<StoredDocument | Pause>,
  skip: number,
  limit: number,
): Generator<StoredDocument | Pause> {
  if (limit === 0) return;
  let skipped = 0;
  let produced = 0;
  for (const doc of docs) {
    if (doc === PAUSE) {
      yield PAUSE;
      continue;
    }
    if (skipped < skip) {
      if (++skipped % READ_PER_PAUSE === 0) yield PAUSE;
      continue;
    }
    yield doc;
    if (++produced >= limit) return;
  }
}

/**
 * The matches in `sort` order after `skip`, at most `limit` (unbounded when infinite).
 * Index order is walked lazily when it gives the sort; otherwise a limit bounds the sort to
 * a top-k selection. Nothing is read before the first document is pulled. With pause points
 * (see PAUSE) where it reads without producing: skipping, and gathering what it sorts.
 */
export function orderedMatches(
  stream: MatchStream,
  sort: Array<[string, number]>,
  skip: number,
  limit: number,
  collation?: Collation,
): Iterable<StoredDocument | Pause> {
  if (sort.length === 0 || stream.sortProvided >= sort.length) return window(stream.docs, skip, limit);
  if (stream.sortProvided > 0)
    return window(sortWithinTies(stream.docs, sort, stream.sortProvided, collation), skip, limit);
  return {
    *[Symbol.iterator]() {
      const sorted = Number.isFinite(limit)
        ? yield* topDocuments(stream.docs, sort, skip + limit, comparatorOf(collation))
        : sortDocuments(yield* gather(stream.docs), sort, collation);
      yield* window(sorted, skip, limit);
    },
  };
}

export function nonNegativeInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw MongoCommandError.typeMismatch(`BSON field '${field}' must be a number`);
  if (n < 0) throw MongoCommandError.badValue(`${field} must be a non-negative number`);
  return Math.trunc(n);
}

/** The collection name a command targets (its first field's value). */
export function collectionName(body: Document, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new MongoCommandError(
      ErrorCode.InvalidNamespace,
      `collection name has invalid type ${typeof value}`,
    );
  }
  return value;
}
