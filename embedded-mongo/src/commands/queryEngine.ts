import type { Document } from 'bson';
import { Query } from 'mingo';
import { compareValues } from '../bson/compareValues.js';
import { pathValues } from '../bson/pathValues.js';
import type { Collection } from '../storage/Collection.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';

/** Documents matching a filter, with how they were found. */
export interface MatchResult {
  docs: StoredDocument[];
  stage: string;
  indexName?: string;
  examined: number;
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

/** Compiles a filter with mingo, turning its parse errors into MongoDB's BadValue. */
export function compileFilter(filter: Document): Query {
  try {
    return new Query(filter);
  } catch (error) {
    throw MongoCommandError.badValue((error as Error).message);
  }
}

function isEmpty(filter: Document): boolean {
  for (const _ in filter) return false;
  return true;
}

/** Runs the planner then the mingo matcher on the candidates only. */
export function matchDocuments(
  coll: Collection | undefined,
  filter: Document,
  limit = Number.POSITIVE_INFINITY,
): MatchResult {
  if (!coll) return { docs: [], stage: 'EOF', examined: 0 };
  const plan = coll.plan(filter);
  const docs: StoredDocument[] = [];
  let examined = 0;
  if (isEmpty(filter) || plan.exact) {
    for (const doc of plan.docs) {
      examined++;
      docs.push(doc);
      if (docs.length >= limit) break;
    }
  } else {
    const query = compileFilter(filter);
    try {
      for (const doc of plan.docs) {
        examined++;
        if (query.test(doc.doc)) {
          docs.push(doc);
          if (docs.length >= limit) break;
        }
      }
    } catch (error) {
      throw MongoCommandError.from(error);
    }
  }
  const result: MatchResult = { docs, stage: plan.stage, examined };
  if (plan.indexName) result.indexName = plan.indexName;
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

function sortKey(doc: Document, path: string, direction: number): unknown {
  const values = pathValues(doc, path);
  if (values.length === 1) return values[0];
  // An array sorts by its smallest element ascending, its largest descending.
  let best = values[0];
  for (const value of values) if (compareValues(value, best) * direction < 0) best = value;
  return best;
}

/** Sorts in place with MongoDB's BSON ordering. */
export function sortDocuments(docs: StoredDocument[], sort: Array<[string, number]>): StoredDocument[] {
  if (sort.length === 0) return docs;
  const keyed = docs.map((doc) => ({ doc, keys: sort.map(([path, dir]) => sortKey(doc.doc, path, dir)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < sort.length; i++) {
      const c = compareValues(a.keys[i], b.keys[i]);
      if (c !== 0) return c * sort[i]![1];
    }
    return 0;
  });
  for (let i = 0; i < docs.length; i++) docs[i] = keyed[i]!.doc;
  return docs;
}

/** A function applying a find projection to one document (mingo semantics), or undefined. */
export function projector(projection: unknown, filter: Document): ((doc: Document) => Document) | undefined {
  if (projection === undefined || projection === null) return undefined;
  const spec = requireDocument(projection, 'projection');
  if (isEmpty(spec)) return undefined;
  const positional = Object.keys(spec).some((key) => key.endsWith('.$'));
  let query: Query;
  try {
    query = new Query(positional ? filter : {});
    // Validate once so a bad projection fails the command rather than a later getMore.
    query.find([{}], spec).all();
  } catch (error) {
    throw MongoCommandError.badValue((error as Error).message);
  }
  return (doc) => query.find([doc], spec).all()[0] ?? {};
}

export function nonNegativeInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw MongoCommandError.typeMismatch(`BSON field '${field}' must be a number`);
  if (n < 0) throw MongoCommandError.badValue(`${field} must be a non-negative number`);
  return Math.trunc(n);
}

/** Rejects a collation: this server compares strings by code point only. */
export function rejectCollation(body: Document): void {
  const collation = body.collation as Document | undefined;
  if (
    collation &&
    typeof collation === 'object' &&
    Object.keys(collation).length > 0 &&
    collation.locale !== 'simple'
  ) {
    throw new MongoCommandError(
      ErrorCode.CommandNotSupported,
      'collation is not supported by the embedded MongoDB server',
    );
  }
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
