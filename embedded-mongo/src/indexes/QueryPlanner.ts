import type { Document } from 'bson';
import { compareValues, TypeClass, typeClassOf } from '../bson/compareValues.js';
import { documentKey } from '../bson/documentKey.js';
import { isPlainObject } from '../bson/isPlainObject.js';
import type { Collation } from '../commands/collation/Collation.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import type { CollectionIndex, KeyRange } from './CollectionIndex.js';
import type { IndexEntry, KeyProbe } from './IndexTypes.js';
import { comparePrefix, entryKey } from './KeyEncoding.js';

/** What the planner needs of a collection. */
export interface PlannableCollection {
  get(key: string): StoredDocument | undefined;
  documents(): Iterable<StoredDocument>;
  readonly size: number;
  readonly indexes: Map<string, CollectionIndex>;
}

/** Work a plan did, as explain's executionStats reports it. */
export interface PlanStats {
  /** Index entries read (the `_id` lookups count one each). */
  keysExamined: number;
  /** Documents fetched from the collection. */
  docsExamined: number;
}

/** Candidate documents for a filter; the caller still applies the full matcher to each unless `exact`. */
export interface CandidatePlan {
  /** `IDHACK`, `IXSCAN <index name>` or `COLLSCAN`, as in explain output. */
  stage: string;
  indexName?: string;
  /** Lazily produced: a caller that stops early leaves the rest of the index unread. */
  docs: Iterable<StoredDocument>;
  /** The index bounds alone prove every candidate matches: no matcher needed. */
  exact?: boolean;
  /** How many leading fields of the requested sort the candidates' order already gives. */
  sortProvided: number;
  /** Counts the candidates (at most `limit`) without fetching a document. */
  count(limit: number): number;
  readonly stats: PlanStats;
}

interface FieldPredicate {
  /** The field equals one of these. */
  eq?: unknown[];
  /** Single values the field must equal as well as `eq` (`$and` clauses on one array field). */
  also?: unknown[];
  range?: KeyRange;
}

/** Records that the field must equal one of `values`, keeping every requirement usable. */
function requireEqual(pred: FieldPredicate, values: unknown[]): void {
  if (!pred.eq) {
    pred.eq = values;
  } else if (values.length === 1 && pred.eq.length === 1) {
    // `{tags: 'a', $and: [{tags: 'b'}]}`: the first value drives the lookup, the others intersect it.
    if (compareValues(values[0], pred.eq[0]) !== 0) {
      pred.also ??= [];
      pred.also.push(values[0]);
    }
  } else if (values.length < pred.eq.length) {
    pred.eq = values;
  }
}

/** Values that compare in the index exactly as the matcher compares them for equality. */
function indexableValue(value: unknown, field: string): boolean {
  if (Array.isArray(value) || value instanceof RegExp) return false;
  const cls = typeClassOf(value);
  if (cls === TypeClass.RegExp || cls === TypeClass.MinKey || cls === TypeClass.MaxKey) return false;
  // `{a.b: null}` also matches array elements lacking `b`, which the index does not list.
  if (cls === TypeClass.Null && field.includes('.')) return false;
  if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) return false;
  return true;
}

function addPredicate(out: Map<string, FieldPredicate>, field: string, condition: unknown): void {
  const pred = out.get(field) ?? {};
  if (!isPlainObject(condition) || !Object.keys(condition).some((k) => k.startsWith('$'))) {
    if (indexableValue(condition, field)) requireEqual(pred, [condition]);
    out.set(field, pred);
    return;
  }
  for (const [op, arg] of Object.entries(condition)) {
    if (op === '$eq' && indexableValue(arg, field)) requireEqual(pred, [arg]);
    else if (
      op === '$in' &&
      Array.isArray(arg) &&
      arg.length > 0 &&
      arg.every((v) => indexableValue(v, field))
    )
      requireEqual(pred, arg);
    else if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') {
      const cls = typeClassOf(arg);
      if (cls === TypeClass.Null || cls === TypeClass.Array || cls === TypeClass.RegExp) continue;
      const range = pred.range ?? { loInclusive: true, hiInclusive: true };
      if (op === '$gt' || op === '$gte') {
        range.lo = arg;
        range.loInclusive = op === '$gte';
      } else {
        range.hi = arg;
        range.hiInclusive = op === '$lte';
      }
      pred.range = range;
    }
  }
  out.set(field, pred);
}

function collectPredicates(filter: Document, out: Map<string, FieldPredicate>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) collectPredicates(clause, out);
    } else if (!key.startsWith('$')) {
      addPredicate(out, key, value);
    }
  }
}

interface IndexChoice {
  index: CollectionIndex;
  score: number;
  eqFields: number;
  /** The index field after the equality prefix carries a range. */
  ranged: boolean;
  probes: KeyProbe[];
  /**
   * A document may own several entries inside the probed regions, so candidates need
   * deduplicating. Not so for one probe with equality on every field: a document's keys are
   * distinct, so at most one of them equals the probed key.
   */
  dedupe: boolean;
  /**
   * With equality on every field: the encoded full key of the probe, then further full keys
   * whose documents the candidates must also have. Each key's region is ordered by document
   * key, so the regions merge-intersect.
   */
  intersect?: string[];
}

function chooseIndex(index: CollectionIndex, preds: Map<string, FieldPredicate>): IndexChoice | undefined {
  const eqValues: unknown[][] = [];
  let rangeField: FieldPredicate['range'];
  for (const field of index.fields) {
    const pred = preds.get(field);
    if (pred?.eq && (eqValues.length === 0 || pred.eq.length === 1)) {
      eqValues.push(pred.eq);
      continue;
    }
    // A collated index keeps strings in an order of their own (see CollectionIndex): no string ranges.
    if (
      pred?.range &&
      !(index.collation && (typeof pred.range.lo === 'string' || typeof pred.range.hi === 'string'))
    )
      rangeField = pred.range;
    break;
  }
  if (eqValues.length === 0 && !rangeField) return undefined;
  // A sparse or partial index lacks some documents: only usable when the query cannot match those.
  if (!index.complete && !index.spec.partialFilterExpression) {
    const all = eqValues.flat();
    if (all.some((v) => v === null || v === undefined)) return undefined;
  } else if (index.spec.partialFilterExpression) {
    return undefined;
  }
  const firstValues = eqValues[0] ?? [undefined];
  const restValues = eqValues.slice(1).map((v) => v[0]);
  const probes: KeyProbe[] = [];
  for (const first of eqValues.length > 0 ? firstValues : [undefined]) {
    const prefix = eqValues.length > 0 ? [first, ...restValues] : [];
    probes.push(rangeField ? index.rangeProbe(prefix, rangeField) : index.equalityProbe(prefix));
  }
  const fullEq = eqValues.length === index.fields.length;
  const score = (index.spec.unique && fullEq ? 1000 : 0) + eqValues.length * 10 + (rangeField ? 5 : 0);
  const dedupe = probes.length > 1 || (index.multikey && !(fullEq && probes.length === 1));
  const choice: IndexChoice = {
    index,
    score,
    eqFields: eqValues.length,
    ranged: rangeField !== undefined,
    probes,
    dedupe,
  };
  if (fullEq && probes.length === 1) {
    const fullKey = eqValues.map((values) => values[0]);
    const intersect: string[] = [];
    index.fields.forEach((field, i) => {
      for (const value of preds.get(field)?.also ?? []) {
        const key = [...fullKey];
        key[i] = value;
        intersect.push(index.encode(key));
      }
    });
    if (intersect.length > 0) {
      choice.intersect = [index.encode(fullKey), ...intersect];
      choice.score += intersect.length;
    }
  }
  return choice;
}

/**
 * How many leading sort fields a single forward (1) or reverse (-1) walk of `index` gives,
 * skipping fields the equality prefix pins. Multikey indexes give none: an array sorts by
 * its smallest (or largest) element, which index order does not reflect.
 */
function sortOrderOf(
  index: CollectionIndex,
  eqFields: number,
  sort: Array<[string, number]>,
): { provided: number; direction: number } {
  const none = { provided: 0, direction: 1 };
  if (index.multikey || sort.length === 0) return none;
  const pinned = new Set(index.fields.slice(0, eqFields));
  let next = eqFields;
  let direction = 0;
  let provided = 0;
  for (const [path, dir] of sort) {
    if (pinned.has(path)) {
      provided++;
      continue;
    }
    const field = index.fields[next];
    if (field !== path) break;
    const ratio = dir * (Number(index.spec.key[field]) < 0 ? -1 : 1);
    if (direction !== 0 && ratio !== direction) break;
    direction = ratio;
    next++;
    provided++;
  }
  // Only pinned fields matched: any walk order gives them.
  if (direction === 0) return { provided, direction: 1 };
  return { provided, direction };
}

/** How many entries a cursor steps through before it jumps with a binary search instead. */
const STEPS_BEFORE_SEEK = 4;

/**
 * Entries of the first probe whose document also has an entry in every other region: a leapfrog
 * join. Each region (full-key equality) is ordered by document key; the cursor that is behind
 * moves to the furthest one, stepping a little and then seeking, so a rare word intersected with
 * a common one costs a few binary searches per match rather than a walk through the common one.
 */
function* intersectRegions(index: CollectionIndex, keys: string[], stats: PlanStats): Generator<IndexEntry> {
  const probes: KeyProbe[] = keys.map((key) => (entry) => comparePrefix(entry, key));
  const cursors = probes.map((probe) => index.tree.scan(probe));
  const heads: IndexEntry[] = [];
  const read = (j: number): boolean => {
    const next = cursors[j]!.next();
    if (next.done) return false;
    stats.keysExamined++;
    heads[j] = next.value;
    return true;
  };
  /** Moves cursor j to its first entry at or after document key `target`; false when none is left. */
  const advance = (j: number, target: string): boolean => {
    for (let step = 0; step < STEPS_BEFORE_SEEK; step++) {
      if (!read(j)) return false;
      if (heads[j]!.id >= target) return true;
    }
    cursors[j] = index.tree.scanFrom(probes[j]!, entryKey(keys[j]!, target));
    return read(j);
  };
  for (let j = 0; j < probes.length; j++) if (!read(j)) return;
  for (;;) {
    let target = heads[0]!.id;
    for (const head of heads) if (head.id > target) target = head.id;
    let aligned = true;
    for (let j = 0; j < heads.length; j++) {
      if (heads[j]!.id === target) continue;
      aligned = false;
      if (!advance(j, target)) return;
    }
    if (!aligned) continue;
    yield heads[0]!;
    if (!read(0)) return;
  }
}

function probeCandidates(
  collection: PlannableCollection,
  choice: IndexChoice,
  direction: number,
  stats: PlanStats,
): Iterable<StoredDocument> {
  const { index, probes } = choice;
  return {
    *[Symbol.iterator]() {
      // A document with several matching keys (multikey, or several $in values) is returned once.
      if (choice.intersect) {
        for (const entry of intersectRegions(index, choice.intersect, stats)) {
          const doc = collection.get(entry.id);
          if (doc) {
            stats.docsExamined++;
            yield doc;
          }
        }
        return;
      }
      const seen = choice.dedupe ? new Set<string>() : undefined;
      for (const probe of direction < 0 ? [...probes].reverse() : probes) {
        for (const entry of direction < 0 ? index.tree.scanReverse(probe) : index.tree.scan(probe)) {
          stats.keysExamined++;
          if (seen) {
            if (seen.has(entry.id)) continue;
            seen.add(entry.id);
          }
          const doc = collection.get(entry.id);
          if (doc) {
            stats.docsExamined++;
            yield doc;
          }
        }
      }
    },
  };
}

function countEntries(choice: IndexChoice, limit: number, stats: PlanStats): number {
  if (choice.intersect) {
    let n = 0;
    for (const _ of intersectRegions(choice.index, choice.intersect, stats)) {
      if (++n >= limit) break;
    }
    return n;
  }
  if (!choice.dedupe) {
    let n = 0;
    for (const probe of choice.probes) n += choice.index.tree.count(probe);
    // Counted from the region's bounds: each key in it is accounted for without being read.
    stats.keysExamined += n;
    return Math.min(n, limit);
  }
  const seen = new Set<string>();
  let n = 0;
  for (const probe of choice.probes) {
    for (const entry of choice.index.tree.scan(probe)) {
      stats.keysExamined++;
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      if (++n >= limit) return n;
    }
  }
  return n;
}

function isScalar(value: unknown): boolean {
  const cls = typeClassOf(value);
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  return (
    cls === TypeClass.Number ||
    cls === TypeClass.String ||
    cls === TypeClass.Boolean ||
    cls === TypeClass.Date ||
    cls === TypeClass.ObjectId
  );
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** A range condition the index bounds decide alone: scalars of one type, both bounds applied. */
function exactRange(condition: unknown): boolean {
  if (!isPlainObject(condition)) return false;
  const ops = Object.keys(condition);
  if (ops.length === 0 || ops.length > 2 || !ops.every((op) => RANGE_OPS.has(op))) return false;
  const values = ops.map((op) => condition[op]);
  if (!values.every(isScalar)) return false;
  return values.every((v) => typeClassOf(v) === typeClassOf(values[0]));
}

/**
 * Whether the index lookup alone decides the filter: every filter field is an equality (or
 * `$in`) on scalars over the index's equality prefix, plus at most a single-type range on the
 * next field of a non-multikey index. A multikey entry for value v exists exactly when the
 * document's array holds v, which is what the matcher's equality asks, so equality stays exact.
 */
function exactThroughIndex(filter: Document, choice: IndexChoice): boolean {
  const eqFields = choice.index.fields.slice(0, choice.eqFields);
  const rangeField = choice.ranged ? choice.index.fields[choice.eqFields] : undefined;
  const conditions = flattenAnd(filter);
  if (!conditions) return false;
  const byField = new Map<string, unknown[]>();
  for (const [key, value] of conditions) byField.set(key, [...(byField.get(key) ?? []), value]);
  if (byField.size !== eqFields.length + (rangeField ? 1 : 0)) return false;
  for (const [key, values] of byField) {
    if (key === rangeField) {
      if (values.length !== 1 || choice.index.multikey || !exactRange(values[0])) return false;
      continue;
    }
    if (!eqFields.includes(key)) return false;
    if (values.length === 1) {
      if (!exactEquality(values[0])) return false;
      continue;
    }
    // `{tags: 'a', $and: [{tags: 'b'}]}`: exact when every value is a single scalar and the
    // index regions of all of them were intersected (or they are all the same value).
    const singles = values.map(singleEquality);
    if (singles.some((v) => v === NOT_SINGLE)) return false;
    const allSame = singles.every((v) => compareValues(v, singles[0]) === 0);
    if (!allSame && !choice.intersect) return false;
  }
  return true;
}

const NOT_SINGLE = Symbol('not a single scalar equality');

/** The value of `{field: v}` or `{field: {$eq: v}}` for a scalar v, else NOT_SINGLE. */
function singleEquality(condition: unknown): unknown {
  if (!isPlainObject(condition)) return isScalar(condition) ? condition : NOT_SINGLE;
  const ops = Object.keys(condition);
  return ops.length === 1 && ops[0] === '$eq' && isScalar(condition.$eq) ? condition.$eq : NOT_SINGLE;
}

function exactEquality(condition: unknown): boolean {
  if (singleEquality(condition) !== NOT_SINGLE) return true;
  if (!isPlainObject(condition)) return false;
  const ops = Object.keys(condition);
  const values = condition.$in;
  return ops.length === 1 && Array.isArray(values) && values.length > 0 && values.every(isScalar);
}

/** The filter's field conditions with `$and` clauses flattened in, or undefined for any other operator. */
function flattenAnd(
  filter: Document,
  out: Array<[string, unknown]> = [],
): Array<[string, unknown]> | undefined {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      for (const clause of value) if (!isPlainObject(clause) || !flattenAnd(clause, out)) return undefined;
    } else if (key.startsWith('$')) {
      return undefined;
    } else {
      out.push([key, value]);
    }
  }
  return out;
}

/** A complete index whose order gives the leading sort field, for a filter no index narrows. */
function sortIndex(
  collection: PlannableCollection,
  sort: Array<[string, number]>,
): { choice: IndexChoice; provided: number; direction: number } | undefined {
  let best: { choice: IndexChoice; provided: number; direction: number } | undefined;
  for (const index of collection.indexes.values()) {
    if (!index.complete) continue;
    const choice: IndexChoice = {
      index,
      score: 0,
      eqFields: 0,
      ranged: false,
      probes: [() => 0],
      dedupe: false,
    };
    const order = sortOrderOf(index, 0, sort);
    if (order.provided > 0 && (!best || order.provided > best.provided)) best = { choice, ...order };
  }
  return best;
}

function holdsString(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.some(holdsString);
  return isPlainObject(value) && Object.values(value).some(holdsString);
}

function isEmptyFilter(filter: Document): boolean {
  for (const _ in filter) return false;
  return true;
}

/**
 * Picks `_id` lookup, the best secondary index, or a collection scan for `filter`; with a
 * `sort`, an index whose order gives it is preferred to a scan.
 */
export function planCandidates(
  collection: PlannableCollection,
  filter: Document,
  sort: Array<[string, number]> = [],
  collation?: Collation,
): CandidatePlan {
  const stats: PlanStats = { keysExamined: 0, docsExamined: 0 };
  const preds = new Map<string, FieldPredicate>();
  collectPredicates(filter, preds);
  const idPred = preds.get('_id');
  // The `_id` index compares binary: under a collation it finds only ids that are not strings.
  if (idPred?.eq && !(collation && idPred.eq.some(holdsString))) {
    const docs: StoredDocument[] = [];
    const seen = new Set<string>();
    for (const value of idPred.eq) {
      const key = documentKey(value);
      if (seen.has(key)) continue;
      seen.add(key);
      stats.keysExamined++;
      const doc = collection.get(key);
      if (doc) {
        stats.docsExamined++;
        docs.push(doc);
      }
    }
    const bare = Object.keys(filter).length === 1 && filter._id !== undefined;
    const onlyEq =
      isPlainObject(filter._id) && Object.keys(filter._id).every((k) => k === '$in' || k === '$eq');
    const exact = bare && (onlyEq || !isPlainObject(filter._id));
    return {
      stage: 'IDHACK',
      indexName: '_id_',
      docs,
      exact,
      sortProvided: docs.length <= 1 ? sort.length : 0,
      count: (limit) => Math.min(limit, docs.length),
      stats,
    };
  }
  let best: IndexChoice | undefined;
  if (preds.size > 0) {
    for (const index of collection.indexes.values()) {
      // An index serves only queries of its own collation (mongod also uses it when no string is compared).
      if (index.collation?.key !== collation?.key) continue;
      const choice = chooseIndex(index, preds);
      if (choice && (!best || choice.score > best.score)) best = choice;
    }
  }
  if (best) {
    const choice = best;
    // Several $in probes are walked one after the other, so their union is not in key order.
    // Neither binary nor representative order (collated index) is a collation's order of strings.
    const order =
      choice.probes.length === 1 && !collation
        ? sortOrderOf(choice.index, choice.eqFields, sort)
        : { provided: 0, direction: 1 };
    return {
      stage: `IXSCAN ${choice.index.name}`,
      indexName: choice.index.name,
      docs: probeCandidates(collection, choice, order.direction, stats),
      exact: !collation && exactThroughIndex(filter, choice),
      sortProvided: order.provided,
      count: (limit) => countEntries(choice, limit, stats),
      stats,
    };
  }
  const bySort = sort.length > 0 && !collation ? sortIndex(collection, sort) : undefined;
  if (bySort) {
    const { choice } = bySort;
    return {
      stage: `IXSCAN ${choice.index.name}`,
      indexName: choice.index.name,
      docs: probeCandidates(collection, choice, bySort.direction, stats),
      exact: isEmptyFilter(filter),
      sortProvided: bySort.provided,
      count: (limit) => countEntries(choice, limit, stats),
      stats,
    };
  }
  return {
    stage: 'COLLSCAN',
    docs: {
      *[Symbol.iterator]() {
        for (const doc of collection.documents()) {
          stats.docsExamined++;
          yield doc;
        }
      },
    },
    exact: isEmptyFilter(filter),
    sortProvided: 0,
    count: (limit) => Math.min(limit, collection.size),
    stats,
  };
}
