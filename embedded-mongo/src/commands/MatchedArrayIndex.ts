import type { Document } from 'bson';
import { BSONRegExp } from 'bson';
import { Query } from 'mingo';
import { isPlainObject } from '../bson/isPlainObject.js';
import { withValueAt } from '../bson/withValueAt.js';

/** One leaf condition of a filter, on one path, that can say which array element it matched. */
interface Recorder {
  parts: string[];
  query: Query;
}

/**
 * Which array element a document matched its filter on: mongod's "elemMatchKey", the index that the positional
 * projection `a.$` keeps. mongod records it while matching: each leaf condition that matched through an array
 * records the index of the first array on its path (the outermost), the last one to record in an `$and` wins,
 * and `$or` (unless it is an `$in` in disguise), `$nor`, `$not`, `$ne` and `$nin` record nothing. Conditions on
 * the array as a whole (`$size`, `$exists`, an array's own `$type`, equality with the whole array) record nothing.
 *
 * Here each leaf condition is matched again, once per element, against the document with that array narrowed to
 * the one element: the first element for which it holds is the one mongod would have recorded.
 */
export class MatchedArrayIndex {
  readonly #recorders: Recorder[];

  constructor(filter: Document) {
    this.#recorders = [];
    collect(filter, this.#recorders);
  }

  /** The index recorded for a document that matched the filter, or undefined when no condition recorded one. */
  indexIn(doc: Document): number | undefined {
    let recorded: number | undefined;
    for (const recorder of this.#recorders) {
      const index = firstMatchingElement(doc, recorder);
      if (index !== undefined) recorded = index;
    }
    return recorded;
  }
}

/** Operators that test the array as a whole, or negate: mongod records no element for them. */
const RECORDS_NOTHING = new Set(['$size', '$exists', '$not', '$ne', '$nin']);

function collect(filter: Document, out: Recorder[]): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const branch of value) if (isPlainObject(branch)) collect(branch, out);
    } else if (key === '$or' && Array.isArray(value)) {
      const asIn = orAsIn(value);
      if (asIn) out.push(recorder(asIn.path, { $in: asIn.values }));
    } else if (key.startsWith('$')) {
      // `$nor`, `$expr`, `$where`, `$text`, `$comment`...: nothing recorded below these.
    } else if (isOperatorObject(value)) {
      collectOperators(key, value, out);
    } else {
      out.push(recorder(key, value));
    }
  }
}

/** `{a: {$gt: 1, $lt: 5}}` is an `$and` of one condition per operator, as mongod parses it. */
function collectOperators(path: string, operators: Document, out: Recorder[]): void {
  for (const [op, argument] of Object.entries(operators)) {
    if (RECORDS_NOTHING.has(op) || op === '$options') continue;
    if (op === '$type' && typeIncludesArray(argument)) continue;
    if (op === '$all' && Array.isArray(argument)) {
      // `$all` is an `$and` of equalities (or of `$elemMatch`es).
      for (const item of argument) {
        out.push(recorder(path, isPlainObject(item) && '$elemMatch' in item ? item : { $eq: item }));
      }
      continue;
    }
    if (op === '$regex' && operators.$options !== undefined) {
      out.push(recorder(path, { $regex: argument, $options: operators.$options }));
      continue;
    }
    out.push(recorder(path, { [op]: argument }));
  }
}

/** mongod rewrites an `$or` of plain equalities on one path into an `$in`, which records; other `$or`s do not. */
function orAsIn(branches: unknown[]): { path: string; values: unknown[] } | undefined {
  let path: string | undefined;
  const values: unknown[] = [];
  for (const branch of branches) {
    if (!isPlainObject(branch)) return undefined;
    const keys = Object.keys(branch);
    if (keys.length !== 1 || keys[0]!.startsWith('$')) return undefined;
    if (path !== undefined && keys[0] !== path) return undefined;
    path = keys[0]!;
    const value = branch[path];
    if (isOperatorObject(value) || value instanceof RegExp || value instanceof BSONRegExp) return undefined;
    values.push(value);
  }
  return path === undefined ? undefined : { path, values };
}

function isOperatorObject(value: unknown): value is Document {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function typeIncludesArray(argument: unknown): boolean {
  const types = Array.isArray(argument) ? argument : [argument];
  return types.some((type) => type === 'array' || type === 4);
}

function recorder(path: string, condition: unknown): Recorder {
  return { parts: path.split('.'), query: new Query({ [path]: condition }) };
}

function firstMatchingElement(doc: Document, { parts, query }: Recorder): number | undefined {
  const found = firstArrayOnPath(doc, parts);
  if (!found) return undefined;
  for (let index = 0; index < found.array.length; index++) {
    if (query.test(withValueAt(doc, parts, found.depth, [found.array[index]]))) return index;
  }
  return undefined;
}

/** The first array met walking `parts` through subdocuments, and at which part. */
function firstArrayOnPath(doc: Document, parts: string[]): { depth: number; array: unknown[] } | undefined {
  let node: unknown = doc;
  for (let depth = 0; depth < parts.length; depth++) {
    if (!isPlainObject(node)) return undefined;
    node = node[parts[depth]!];
    if (Array.isArray(node)) return { depth, array: node };
  }
  return undefined;
}
