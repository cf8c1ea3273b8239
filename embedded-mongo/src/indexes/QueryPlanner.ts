import type { Document } from 'bson';
import { compareValues, TypeClass, typeClassOf } from '../bson/compareValues.js';
import { documentKey } from '../bson/documentKey.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import type { CollectionIndex } from './CollectionIndex.js';
import type { KeyProbe } from './IndexTypes.js';

/** What the planner needs of a collection. */
export interface PlannableCollection {
  get(key: string): StoredDocument | undefined;
  documents(): Iterable<StoredDocument>;
  readonly indexes: Map<string, CollectionIndex>;
}

/** Candidate documents for a filter; the caller still applies the full matcher to each. */
export interface CandidatePlan {
  /** `IDHACK`, `IXSCAN <index name>` or `COLLSCAN`, as in explain output. */
  stage: string;
  indexName?: string;
  docs: Iterable<StoredDocument>;
  /** The candidates are exactly the matches (a bare `_id` lookup): no matcher needed. */
  exact?: boolean;
}

interface Range {
  lo?: unknown;
  loInclusive: boolean;
  hi?: unknown;
  hiInclusive: boolean;
}

interface FieldPredicate {
  eq?: unknown[];
  range?: Range;
}

function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
    if (indexableValue(condition, field)) pred.eq = [condition];
    out.set(field, pred);
    return;
  }
  for (const [op, arg] of Object.entries(condition)) {
    if (op === '$eq' && indexableValue(arg, field)) pred.eq = [arg];
    else if (op === '$in' && Array.isArray(arg) && arg.every((v) => indexableValue(v, field)))
      pred.eq ??= arg;
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

function rangeProbe(range: Range, direction: number, multikey: boolean): (value: unknown) => number {
  const bracket = typeClassOf(range.lo !== undefined ? range.lo : range.hi);
  // Each bound of a multikey range may be met by a different element, so only one bound narrows.
  const hi = multikey && range.lo !== undefined ? undefined : range.hi;
  const hiBracketed = hi !== undefined && typeClassOf(hi) === bracket;
  const loBracketed = range.lo !== undefined && typeClassOf(range.lo) === bracket;
  return (value) => {
    const cls = typeClassOf(value);
    let position = 0;
    if (cls < bracket) position = -1;
    else if (cls > bracket) position = 1;
    else {
      if (loBracketed) {
        const c = compareValues(value, range.lo);
        if (c < 0 || (c === 0 && !range.loInclusive)) position = -1;
      }
      if (position === 0 && hiBracketed) {
        const c = compareValues(value, hi);
        if (c > 0 || (c === 0 && !range.hiInclusive)) position = 1;
      }
    }
    return position * direction;
  };
}

interface IndexChoice {
  index: CollectionIndex;
  score: number;
  eqFields: number;
  probes: KeyProbe[];
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
    if (pred?.range) rangeField = pred.range;
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
    const prefixProbe = index.equalityProbe(prefix);
    if (!rangeField) {
      probes.push(prefixProbe);
      continue;
    }
    const field = index.fields[prefix.length]!;
    const dir = Number(index.spec.key[field]) < 0 ? -1 : 1;
    const inRange = rangeProbe(rangeField, dir, index.multikey);
    const at = prefix.length;
    probes.push((key) => prefixProbe(key) || inRange(key[at]));
  }
  const fullEq = eqValues.length === index.fields.length;
  const score = (index.spec.unique && fullEq ? 1000 : 0) + eqValues.length * 10 + (rangeField ? 5 : 0);
  return { index, score, eqFields: eqValues.length, probes };
}

function* probeDocs(collection: PlannableCollection, choice: IndexChoice): Generator<StoredDocument> {
  const seen = choice.index.multikey || choice.probes.length > 1 ? new Set<string>() : undefined;
  for (const probe of choice.probes) {
    for (const entry of choice.index.tree.scan(probe)) {
      if (seen) {
        if (seen.has(entry.id)) continue;
        seen.add(entry.id);
      }
      const doc = collection.get(entry.id);
      if (doc) yield doc;
    }
  }
}

function isScalar(value: unknown): boolean {
  const cls = typeClassOf(value);
  return (
    cls === TypeClass.Number ||
    cls === TypeClass.String ||
    cls === TypeClass.Boolean ||
    cls === TypeClass.Date ||
    cls === TypeClass.ObjectId
  );
}

/**
 * Whether the index lookup alone decides the filter: every filter field is an equality on a
 * scalar that the (non-multikey) index matched, so the matcher would accept every candidate.
 */
function exactThroughIndex(filter: Document, choice: IndexChoice): boolean {
  if (choice.index.multikey || choice.probes.length !== 1) return false;
  const eqFields = choice.index.fields.slice(0, choice.eqFields);
  const keys = Object.keys(filter);
  if (keys.length !== eqFields.length) return false;
  return keys.every((key) => {
    if (!eqFields.includes(key)) return false;
    const value = filter[key];
    if (isPlainObject(value)) return Object.keys(value).length === 1 && '$eq' in value && isScalar(value.$eq);
    return isScalar(value);
  });
}

/** Picks `_id` lookup, the best secondary index, or a collection scan for `filter`. */
export function planCandidates(collection: PlannableCollection, filter: Document): CandidatePlan {
  const preds = new Map<string, FieldPredicate>();
  collectPredicates(filter, preds);
  const idPred = preds.get('_id');
  if (idPred?.eq) {
    const docs: StoredDocument[] = [];
    const seen = new Set<string>();
    for (const value of idPred.eq) {
      const key = documentKey(value);
      if (seen.has(key)) continue;
      seen.add(key);
      const doc = collection.get(key);
      if (doc) docs.push(doc);
    }
    const bare = Object.keys(filter).length === 1 && filter._id !== undefined;
    const onlyEq =
      isPlainObject(filter._id) && Object.keys(filter._id).every((k) => k === '$in' || k === '$eq');
    const exact = bare && (onlyEq || !isPlainObject(filter._id));
    return { stage: 'IDHACK', indexName: '_id_', docs, exact };
  }
  let best: IndexChoice | undefined;
  if (preds.size > 0) {
    for (const index of collection.indexes.values()) {
      const choice = chooseIndex(index, preds);
      if (choice && (!best || choice.score > best.score)) best = choice;
    }
  }
  if (best) {
    return {
      stage: `IXSCAN ${best.index.name}`,
      indexName: best.index.name,
      docs: [...probeDocs(collection, best)],
      exact: exactThroughIndex(filter, best),
    };
  }
  return { stage: 'COLLSCAN', docs: collection.documents() };
}
