import type { Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';
import { withValueAt } from '../bson/withValueAt.js';
import { MatchedArrayIndex } from './MatchedArrayIndex.js';
import { MongoCommandError } from './MongoCommandError.js';

/** mongod's codes for the positional projection (projection_parser.cpp, projection_executor_utils.cpp). */
const PositionalCode = {
  NoMatchingElement: 51246,
  ElementMismatch: 51247,
  WithSubObject: 31271,
  WithExclusion: 31395,
  WithLiteral: 31308,
  MoreThanOne: 31276,
  AfterElemMatch: 31256,
  BeforeElemMatch: 31255,
  InMiddleOfPath: 31394,
  InclusionInExclusion: 31253,
  ExclusionInInclusion: 31254,
  CollisionWithRemainder: 31249,
  Collision: 31250,
} as const;

/**
 * The positional projection of find and findAndModify, `{'a.$': 1}`: the first array on the path `a` is cut
 * down to the one element the query matched (see MatchedArrayIndex), as mongod 7.0 does. The rest of the
 * projection is an inclusion of the path, left to the caller (`baseSpec`).
 */
export class PositionalProjection {
  /** The path without its `.$`. */
  readonly path: string;
  /** The projection with `a.$` replaced by the inclusion `a`, in its place. */
  readonly baseSpec: Document;
  readonly #parts: string[];
  readonly #matched: MatchedArrayIndex;

  private constructor(path: string, baseSpec: Document, filter: Document) {
    this.path = path;
    this.baseSpec = baseSpec;
    this.#parts = path.split('.');
    this.#matched = new MatchedArrayIndex(filter);
  }

  /** Whether a projection asks for a positional element (and so must be parsed here). */
  static isUsedIn(spec: Document): boolean {
    return Object.keys(spec).some(isPositional);
  }

  /** Parses a projection holding a positional path, with mongod's checks and error codes. */
  static parse(spec: Document, filter: Document): PositionalProjection {
    const keys = Object.keys(spec);
    let positionalPath: string | undefined;
    let hasElemMatch = false;
    let type: 'inclusion' | 'exclusion' | undefined;
    const baseSpec: Document = {};
    for (const key of keys) {
      const value = spec[key];
      const positional = isPositional(key);
      if (key.includes('.$.')) {
        throw new MongoCommandError(
          PositionalCode.InMiddleOfPath,
          "As of 4.4, it's illegal to specify positional operator in the middle of a path.Positional projection " +
            'may only be used at the end, for example: a.b.$. If the query previously used a form like a.b.$.d, ' +
            "remove the parts following the '$' and the results will be equivalent.",
        );
      }
      if (isPlainObject(value)) {
        if (positional) {
          throw new MongoCommandError(
            PositionalCode.WithSubObject,
            'positional projection cannot be used with an expression or sub object',
          );
        }
        if ('$elemMatch' in value) {
          if (positionalPath !== undefined) {
            throw new MongoCommandError(
              PositionalCode.BeforeElemMatch,
              'Cannot specify positional operator and $elemMatch.',
            );
          }
          hasElemMatch = true;
        }
        baseSpec[key] = value;
        continue;
      }
      const flag = inclusionFlag(value);
      if (flag === undefined) {
        if (positional) {
          throw new MongoCommandError(
            PositionalCode.WithLiteral,
            'positional projection cannot be used with a literal',
          );
        }
        baseSpec[key] = value;
        continue;
      }
      if (!flag) {
        if (positional) {
          throw new MongoCommandError(
            PositionalCode.WithExclusion,
            'positional projection cannot be used with exclusion',
          );
        }
        if (key !== '_id') {
          if (type === 'inclusion') {
            throw new MongoCommandError(
              PositionalCode.ExclusionInInclusion,
              `Cannot do exclusion on field ${key} in inclusion projection`,
            );
          }
          type = 'exclusion';
        }
        baseSpec[key] = value;
        continue;
      }
      if (positional) {
        if (positionalPath !== undefined) {
          throw new MongoCommandError(
            PositionalCode.MoreThanOne,
            'Cannot specify more than one positional projection per query.',
          );
        }
        if (hasElemMatch) {
          throw new MongoCommandError(
            PositionalCode.AfterElemMatch,
            'Cannot specify positional operator and $elemMatch.',
          );
        }
        positionalPath = key.slice(0, -2);
      }
      if (key !== '_id') {
        if (type === 'exclusion') {
          throw new MongoCommandError(
            PositionalCode.InclusionInExclusion,
            `Cannot do inclusion on field ${key} in exclusion projection`,
          );
        }
        type = 'inclusion';
      }
      baseSpec[positional ? positionalPath! : key] = positional ? 1 : value;
    }
    // isUsedIn was true, and every other positional form threw above.
    const path = positionalPath!;
    rejectCollisions(keys, path);
    return new PositionalProjection(path, baseSpec, filter);
  }

  /**
   * Cuts the first array on the path of `projected` (the base projection of `matched`) down to the element
   * `matched` matched the query on. Throws mongod's 51246 when the query recorded no element for an array there.
   */
  apply(matched: Document, projected: Document): Document {
    let node: unknown = projected;
    for (let depth = 0; depth < this.#parts.length; depth++) {
      if (!isPlainObject(node)) return projected;
      node = node[this.#parts[depth]!];
      if (!Array.isArray(node)) continue;
      const index = this.#matched.indexIn(matched);
      if (index === undefined) {
        throw new MongoCommandError(
          PositionalCode.NoMatchingElement,
          "positional operator '.$' couldn't find a matching element in the array",
        );
      }
      if (index >= node.length) {
        throw new MongoCommandError(
          PositionalCode.ElementMismatch,
          "positional operator '.$' element mismatch",
        );
      }
      return withValueAt(projected, this.#parts, depth, [node[index]]);
    }
    // No array on the path: the document is left as the base projection made it.
    return projected;
  }
}

function isPositional(key: string): boolean {
  return key.endsWith('.$') || key.includes('.$.');
}

/** true, false, or undefined for a value that is neither an inclusion nor an exclusion (a literal). */
function inclusionFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const bsonType = (value as { _bsontype?: string } | null)?._bsontype;
  if (bsonType === 'Long' || bsonType === 'Int32' || bsonType === 'Double' || bsonType === 'Decimal128') {
    return Number(String(value)) !== 0;
  }
  return undefined;
}

/** mongod's path collisions between the positional path and the other fields, with its codes and messages. */
function rejectCollisions(keys: string[], path: string): void {
  const positionalAt = keys.findIndex(isPositional);
  keys.forEach((key, at) => {
    if (at === positionalAt) return;
    const [first, second] = at < positionalAt ? [key, path] : [path, key];
    if (second === first || first.startsWith(`${second}.`)) {
      throw new MongoCommandError(PositionalCode.Collision, `Path collision at ${second}`);
    }
    if (second.startsWith(`${first}.`)) {
      throw new MongoCommandError(
        PositionalCode.CollisionWithRemainder,
        `Path collision at ${second} remaining portion ${second.slice(second.indexOf('.') + 1)}`,
      );
    }
  });
}
