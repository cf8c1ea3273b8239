import { type Document, ObjectId } from 'bson';
import { compareValues } from '../bson/compareValues.js';
import { isPlainObject } from '../bson/isPlainObject.js';
import { pathValue } from '../bson/pathValues.js';
import type { Catalog } from '../storage/Catalog.js';
import type { Collection } from '../storage/Collection.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { createAggregator } from './mingoOperators.js';
import { matchDocuments } from './queryEngine.js';
import { applyUpdate, updateKind } from './updateEngine.js';

type WhenMatched = 'replace' | 'keepExisting' | 'merge' | 'fail' | Document[];
type WhenNotMatched = 'insert' | 'discard' | 'fail';

/** A parsed `$merge` stage. */
export interface MergeSpec {
  db: string;
  coll: string;
  on: string[];
  whenMatched: WhenMatched;
  whenNotMatched: WhenNotMatched;
  /** `let` of a pipeline whenMatched: expressions over the incoming document (`new` by default). */
  let: Document | undefined;
}

const WHEN_MATCHED = new Set(['replace', 'keepExisting', 'merge', 'fail']);
const WHEN_NOT_MATCHED = new Set(['insert', 'discard', 'fail']);

function parseInto(into: unknown, db: string): { db: string; coll: string } {
  if (typeof into === 'string' && into.length > 0) return { db, coll: into };
  if (isPlainObject(into) && typeof (into as Document).coll === 'string') {
    const target = into as Document;
    return { db: typeof target.db === 'string' ? target.db : db, coll: target.coll as string };
  }
  throw new MongoCommandError(
    51178,
    `$merge 'into' field  must be either a string or an object, but found ${typeof into}`,
  );
}

/** Parses `{$merge: ...}` as mongod does (`into`, `on`, `let`, `whenMatched`, `whenNotMatched`). */
export function parseMerge(spec: unknown, db: string): MergeSpec {
  if (typeof spec === 'string')
    return {
      ...parseInto(spec, db),
      on: ['_id'],
      whenMatched: 'merge',
      whenNotMatched: 'insert',
      let: undefined,
    };
  if (!isPlainObject(spec)) {
    throw new MongoCommandError(
      51182,
      `$merge only supports a string or object argument, not ${typeof spec}`,
    );
  }
  const body = spec as Document;
  for (const key of Object.keys(body)) {
    if (!['into', 'on', 'let', 'whenMatched', 'whenNotMatched'].includes(key))
      throw new MongoCommandError(40415, `BSON field '$merge.${key}' is an unknown field.`);
  }
  const on = body.on === undefined ? ['_id'] : Array.isArray(body.on) ? body.on : [body.on];
  if (on.length === 0 || on.some((field) => typeof field !== 'string' || field.length === 0)) {
    throw new MongoCommandError(51134, "$merge 'on' array cannot be empty");
  }
  const whenMatched = body.whenMatched ?? 'merge';
  if (!Array.isArray(whenMatched) && !WHEN_MATCHED.has(whenMatched)) {
    throw MongoCommandError.badValue(
      `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`,
    );
  }
  if (Array.isArray(whenMatched)) updateKind(whenMatched);
  const whenNotMatched = body.whenNotMatched ?? 'insert';
  if (!WHEN_NOT_MATCHED.has(whenNotMatched)) {
    throw MongoCommandError.badValue(
      `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`,
    );
  }
  if (body.let !== undefined && !Array.isArray(whenMatched)) {
    throw new MongoCommandError(51199, `Cannot use 'let' variables with 'whenMatched: ${whenMatched}' mode`);
  }
  return {
    ...parseInto(body.into, db),
    on: on as string[],
    whenMatched: whenMatched as WhenMatched,
    whenNotMatched: whenNotMatched as WhenNotMatched,
    let: body.let as Document | undefined,
  };
}

/** mongod needs a unique index over exactly the `on` fields to be sure a document matches at most one. */
function checkOnFieldsUnique(target: Collection | undefined, on: string[]): void {
  if (on.length === 1 && on[0] === '_id') return;
  const wanted = new Set(on);
  const covered = [...(target?.indexes.values() ?? [])].some((index) => {
    const fields = Object.keys(index.spec.key);
    return (
      index.spec.unique === true &&
      !index.spec.partialFilterExpression &&
      fields.length === wanted.size &&
      fields.every((field) => wanted.has(field))
    );
  });
  if (!covered) {
    throw new MongoCommandError(51183, 'Cannot find index to verify that join fields will be unique');
  }
}

function onQuery(doc: Document, on: string[]): Document {
  const query: Document = {};
  for (const field of on) {
    const value = pathValue(doc, field);
    if (value === undefined || value === null) {
      throw new MongoCommandError(
        51132,
        `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`,
      );
    }
    if (Array.isArray(value)) {
      throw new MongoCommandError(51185, `$merge write error: 'on' field '${field}' cannot be an array`);
    }
    query[field] = { $eq: value };
  }
  return query;
}

function mergeVariables(spec: MergeSpec, incoming: Document): Document {
  if (!spec.let) return { new: incoming };
  // The let values are expressions over the incoming document.
  const [computed] = createAggregator([{ $addFields: spec.let }]).run([incoming]) as Document[];
  const variables: Document = {};
  for (const name of Object.keys(spec.let)) variables[name] = computed?.[name];
  return variables;
}

/**
 * Writes the pipeline's results into the target collection, one document at a time through the
 * collection's own insert and replace (so each write is journaled like any other).
 */
export function runMerge(catalog: Catalog, spec: MergeSpec, results: Document[]): void {
  checkMergeTarget(spec);
  let target = catalog.get(spec.db, spec.coll);
  checkOnFieldsUnique(target, spec.on);
  for (const result of results) {
    let incoming = result;
    if (incoming._id === undefined) incoming = { _id: new ObjectId(), ...incoming };
    const query = onQuery(incoming, spec.on);
    const existing = target ? matchDocuments(target, query, 1).docs[0] : undefined;
    if (!existing || spec.whenMatched === 'fail') {
      if (!existing && spec.whenNotMatched === 'discard') continue;
      if (!existing && spec.whenNotMatched === 'fail') {
        throw new MongoCommandError(
          13113,
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      target ??= catalog.getOrCreate(spec.db, spec.coll);
      target.insert(incoming);
      continue;
    }
    if (spec.whenMatched === 'keepExisting') continue;
    const stored = existing.doc;
    let outcome: { doc: Document; changed: boolean };
    if (spec.whenMatched === 'replace') {
      const replacement =
        spec.on.includes('_id') || result._id !== undefined ? incoming : withoutId(incoming);
      outcome = applyUpdate(stored, replacement, {});
    } else if (spec.whenMatched === 'merge') {
      const fields = result._id === undefined ? withoutId(incoming) : incoming;
      outcome = applyUpdate(stored, { $set: fields }, {});
    } else {
      outcome = applyUpdate(stored, spec.whenMatched, { variables: mergeVariables(spec, incoming) });
    }
    if (outcome.changed && compareValues(outcome.doc, stored) !== 0)
      target!.replace(existing.key, outcome.doc);
  }
}

function withoutId(doc: Document): Document {
  const { _id, ...rest } = doc;
  return rest;
}

/** Refuses a target the aggregation cannot write: mongod's codes. */
export function checkMergeTarget(spec: MergeSpec): void {
  if (spec.coll.startsWith('system.')) {
    throw new MongoCommandError(
      ErrorCode.InvalidNamespace,
      `Invalid $merge target namespace: ${spec.db}.${spec.coll}`,
    );
  }
}
