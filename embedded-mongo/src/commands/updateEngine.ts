import { type Document, ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { cloneDocument } from '../bson/cloneDocument.js';
import { compareValues, TypeClass, typeClassOf } from '../bson/compareValues.js';
import { formatValue } from '../bson/formatValue.js';
import { isPlainObject } from '../bson/isPlainObject.js';
import { pathValue } from '../bson/pathValues.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { createAggregator } from './mingoOperators.js';
import { applyPlainFieldUpdate } from './plainFieldUpdate.js';

const MODIFIERS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);
const NUMERIC_MODIFIERS = new Set(['$inc', '$mul']);
const ARRAY_MODIFIERS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);
const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateSpec = Document | Document[];

export interface UpdateOutcome {
  doc: Document;
  changed: boolean;
}

/** Classifies and validates an update: operators, replacement document, or pipeline. */
export function updateKind(update: unknown): 'operators' | 'replacement' | 'pipeline' {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_STAGES.has(name)) {
        throw new MongoCommandError(
          ErrorCode.InvalidOptions,
          `${name ?? 'stage'} is not allowed to be used within an update`,
        );
      }
    }
    return 'pipeline';
  }
  if (!isPlainObject(update)) {
    throw MongoCommandError.typeMismatch('Update argument must be either an object or an array');
  }
  const keys = Object.keys(update);
  const dollar = keys.filter((k) => k.startsWith('$'));
  if (dollar.length === 0) return 'replacement';
  for (const key of keys) {
    if (!MODIFIERS.has(key)) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(update[key])) {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        `Modifiers operate on fields but we found type ${typeof update[key]} instead. For example: {$mod: {<field>: ...}} not {${key}: ${formatValue(update[key])}}`,
      );
    }
  }
  return 'operators';
}

function checkTypes(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    const numeric = NUMERIC_MODIFIERS.has(op);
    const array = ARRAY_MODIFIERS.has(op);
    if (!numeric && !array) continue;
    for (const [path, arg] of Object.entries(fields as Document)) {
      if (path.includes('$')) continue;
      if (numeric && typeClassOf(arg) !== TypeClass.Number) {
        throw MongoCommandError.typeMismatch(
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(arg)}}`,
        );
      }
      const current = pathValue(doc, path);
      if (current === undefined) continue;
      if (numeric && typeClassOf(current) !== TypeClass.Number) {
        throw MongoCommandError.typeMismatch(
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${path}' of non-numeric type ${typeof current}`,
        );
      }
      if (array && !Array.isArray(current)) {
        throw MongoCommandError.badValue(
          `The field '${path}' must be an array but is of type ${typeof current} in document {_id: ${formatValue(doc._id)}}`,
        );
      }
    }
  }
}

function immutableIdError(id: unknown): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.ImmutableField,
    `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(id)}`,
  );
}

/**
 * Applies an update to a copy of `doc` (the stored document stays untouched).
 * `inserting` is true for the document an upsert creates ($setOnInsert applies).
 */
export function applyUpdate(
  doc: Document,
  update: UpdateSpec,
  options: { arrayFilters?: Document[]; query?: Document; inserting?: boolean; variables?: Document },
): UpdateOutcome {
  const kind = updateKind(update);
  if (kind === 'replacement') {
    const replacement = update as Document;
    if (
      replacement._id !== undefined &&
      doc._id !== undefined &&
      compareValues(replacement._id, doc._id) !== 0
    ) {
      throw immutableIdError(replacement._id);
    }
    const next: Document = { _id: doc._id ?? replacement._id };
    for (const [key, value] of Object.entries(replacement))
      if (key !== '_id') next[key] = cloneDocument(value);
    if (next._id === undefined) delete next._id;
    return { doc: next, changed: compareValues(next, doc) !== 0 };
  }
  const copy = cloneDocument(doc);
  if (kind === 'pipeline') {
    let out: Document;
    try {
      const pipelineOptions = options.variables ? { variables: options.variables } : {};
      out = createAggregator(update as Document[], pipelineOptions).run([copy])[0] as Document;
    } catch (error) {
      throw MongoCommandError.from(error);
    }
    out = keepPipelineId(doc, out);
    return { doc: out, changed: compareValues(out, doc) !== 0 };
  }
  const modifier: Document = { ...(update as Document) };
  const onInsert = modifier.$setOnInsert as Document | undefined;
  delete modifier.$setOnInsert;
  if (onInsert && options.inserting)
    modifier.$set = { ...(modifier.$set as Document | undefined), ...onInsert };
  for (const key of Object.keys(modifier)) {
    if (Object.keys(modifier[key] as Document).length === 0) delete modifier[key];
  }
  checkTypes(copy, modifier);
  // Setting _id to its current value is allowed; anything else would change an immutable field.
  for (const [op, fields] of Object.entries(modifier)) {
    if (!Object.hasOwn(fields as Document, '_id') || doc._id === undefined) continue;
    const value = (fields as Document)._id;
    if (op !== '$set' || compareValues(value, doc._id) !== 0) {
      throw new MongoCommandError(
        ErrorCode.ImmutableField,
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    const { _id, ...rest } = fields as Document;
    modifier[op] = rest;
  }
  const setsId = Object.values(modifier).some((fields) => Object.hasOwn(fields as Document, '_id'));
  let changed = false;
  if (Object.keys(modifier).length > 0) {
    // Values copied once: the plain path stores them in the document, or declines having stored none.
    const values = cloneDocument(modifier);
    const plain = options.arrayFilters ? undefined : applyPlainFieldUpdate(copy, values);
    if (plain !== undefined) changed = plain;
    else {
      try {
        // Only the positional `$` needs the query (to find the matched element): otherwise the document is
        // already known to match, and mingo would compile and test the filter again.
        const condition = usesPositional(modifier) ? options.query : undefined;
        const changedPaths = mingoUpdate(copy, values, options.arrayFilters, condition, {
          cloneMode: 'none',
        });
        changed = changedPaths.length > 0;
      } catch (error) {
        throw MongoCommandError.from(error);
      }
    }
  }
  if (setsId && doc._id !== undefined && compareValues(copy._id, doc._id) !== 0)
    throw immutableIdError(copy._id);
  if (copy._id !== undefined && Object.keys(copy)[0] !== '_id') {
    const { _id, ...rest } = copy;
    return { doc: { _id, ...rest }, changed };
  }
  return { doc: copy, changed };
}

/**
 * mongod keeps `_id` through a pipeline update that drops it ($replaceRoot, $project, $unset): only a
 * pipeline that sets it to another value changes the immutable field. The kept `_id` goes first.
 */
function keepPipelineId(before: Document, after: Document): Document {
  if (before._id === undefined) return after;
  if (after._id === undefined) return { _id: before._id, ...after };
  if (compareValues(after._id, before._id) !== 0) throw immutableIdError(after._id);
  if (Object.keys(after)[0] === '_id') return after;
  const { _id, ...rest } = after;
  return { _id, ...rest };
}

function usesPositional(modifier: Document): boolean {
  for (const fields of Object.values(modifier)) {
    for (const path of Object.keys(fields as Document)) if (path.split('.').includes('$')) return true;
  }
  return false;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[parts[parts.length - 1]!] = cloneDocument(value);
}

function collectEqualities(query: Document, out: Document): void {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) collectEqualities(clause, out);
    } else if (!key.startsWith('$')) {
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        if ('$eq' in value) setPath(out, key, value.$eq);
      } else {
        setPath(out, key, value);
      }
    }
  }
}

/** The document an upsert inserts when nothing matched: query equalities, then the update. */
export function upsertDocument(
  query: Document,
  update: UpdateSpec,
  arrayFilters?: Document[],
  variables?: Document,
): Document {
  const seed: Document = {};
  collectEqualities(query, seed);
  let doc: Document;
  if (updateKind(update) === 'replacement') {
    doc = applyUpdate(seed._id === undefined ? {} : { _id: seed._id }, update, {}).doc;
  } else {
    const opts: { arrayFilters?: Document[]; inserting: boolean; variables?: Document } = { inserting: true };
    if (arrayFilters) opts.arrayFilters = arrayFilters;
    if (variables) opts.variables = variables;
    doc = applyUpdate(seed, update, opts).doc;
  }
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] !== '_id') {
    const { _id, ...rest } = doc;
    return { _id, ...rest };
  }
  return doc;
}
