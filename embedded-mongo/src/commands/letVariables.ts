import type { Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';
import { MongoCommandError } from './MongoCommandError.js';
import { createAggregator } from './mingoOperators.js';

/** Variables a command defines with `let` (or an update statement with `c`), already evaluated. */
export type LetVariables = Document;

/** mongod's rule for a user variable name: a lowercase ASCII letter or a non-ASCII character first. */
function checkName(name: string): void {
  if (name.length === 0) throw new MongoCommandError(16866, 'empty variable names are not allowed');
  const first = name.charCodeAt(0);
  if (!((first >= 0x61 && first <= 0x7a) || first >= 0x80)) {
    throw new MongoCommandError(16867, `'${name}' starts with an invalid character for a user variable name`);
  }
  for (const char of name.slice(1)) {
    if (!/[A-Za-z0-9_]/.test(char) && char.charCodeAt(0) < 0x80) {
      throw new MongoCommandError(
        16868,
        `'${name}' contains an invalid character for a variable name: '${char}'`,
      );
    }
  }
}

function mentionsClusterTime(value: unknown): boolean {
  if (typeof value === 'string') return value === '$$CLUSTER_TIME' || value.startsWith('$$CLUSTER_TIME.');
  if (Array.isArray(value)) return value.some(mentionsClusterTime);
  if (isPlainObject(value)) return Object.values(value as Document).some(mentionsClusterTime);
  return false;
}

/**
 * Validates and evaluates `let` once, as mongod does before running the command: each value is an
 * expression over no document (`{$add: [1, 1]}` gives 2, `$$NOW` the time). A standalone has no cluster
 * time, so `$$CLUSTER_TIME` is refused with mongod's code.
 */
export function parseLet(value: unknown, field: string): LetVariables | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw MongoCommandError.typeMismatch(`BSON field '${field}' is the wrong type, expected type 'object'`);
  }
  const spec = value as Document;
  const names = Object.keys(spec);
  if (names.length === 0) return undefined;
  for (const name of names) checkName(name);
  if (mentionsClusterTime(spec)) {
    throw new MongoCommandError(51144, "Builtin variable '$$CLUSTER_TIME' is not available");
  }
  try {
    const [evaluated] = createAggregator([{ $replaceWith: { $literal: {} } }, { $addFields: spec }]).run([
      {},
    ]);
    return evaluated as LetVariables;
  } catch (error) {
    throw MongoCommandError.from(error);
  }
}

/** A statement's `c` constants over the command's `let` (the statement's win), or undefined for none. */
export function mergeLet(command: LetVariables | undefined, statement: LetVariables | undefined) {
  if (!command) return statement;
  if (!statement) return command;
  return { ...command, ...statement };
}

const LOGICAL = new Set(['$and', '$or', '$nor']);

/**
 * The filter with the variables bound: each `$expr` is wrapped in a `$let` of literals, so the
 * planner and matcher see an ordinary filter and nothing else needs to know about `let`.
 */
export function bindFilter(filter: Document, vars: LetVariables | undefined): Document {
  if (!vars) return filter;
  const literals: Document = {};
  for (const [name, value] of Object.entries(vars)) literals[name] = { $literal: value };
  const bind = (clause: Document): Document => {
    const out: Document = {};
    for (const [key, value] of Object.entries(clause)) {
      if (key === '$expr') out[key] = { $let: { vars: literals, in: value } };
      else if (LOGICAL.has(key) && Array.isArray(value))
        out[key] = value.map((inner) => (isPlainObject(inner) ? bind(inner as Document) : inner));
      else out[key] = value;
    }
    return out;
  };
  return bind(filter);
}
