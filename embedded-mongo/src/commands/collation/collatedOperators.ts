import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as queryOperators from 'mingo/operators/query';
import type { Options } from 'mingo/types';
import { pathValues } from '../../bson/pathValues.js';
import type { Collation } from './Collation.js';
import { StringClasses } from './StringClasses.js';

type Predicate = (doc: Document) => boolean;
type QueryOperator = (selector: string, value: unknown, options: Options) => Predicate;
type PipelineOperator = (collection: unknown, expr: unknown, options: Options) => unknown;

/**
 * Query operators comparing strings through a collation: `$eq` (and the implicit equality), `$ne`, `$in`,
 * `$nin`, `$gt`, `$gte`, `$lt`, `$lte`. A non-string operand keeps mingo's own operator, so only
 * string comparisons change. Strings nested in documents or arrays given as operands compare binary
 * (an approximation: mongod collates them too).
 */
export function collatedQueryOperators(collation: Collation): Record<string, QueryOperator> {
  const builtin = queryOperators as unknown as Record<string, QueryOperator>;
  /** Any string the path reaches (array elements included) for which `test` holds. */
  const anyString =
    (selector: string, test: (value: string) => boolean): Predicate =>
    (doc) => {
      for (const value of pathValues(doc, selector))
        if (typeof value === 'string' && test(value)) return true;
      return false;
    };
  const equalTo = (target: string) => (value: string) => collation.collator.compare(value, target) === 0;

  const $eq: QueryOperator = (selector, value, options) =>
    typeof value === 'string' ? anyString(selector, equalTo(value)) : builtin.$eq!(selector, value, options);

  const $in: QueryOperator = (selector, value, options) => {
    if (!Array.isArray(value)) return builtin.$in!(selector, value, options);
    const strings = value.filter((v): v is string => typeof v === 'string');
    if (strings.length === 0) return builtin.$in!(selector, value, options);
    const others = builtin.$in!(
      selector,
      value.filter((v) => typeof v !== 'string'),
      options,
    );
    const sorted = [...strings].sort((a, b) => collation.collator.compare(a, b));
    const member = anyString(selector, (s) => binaryFind(sorted, s, collation) >= 0);
    return (doc) => member(doc) || others(doc);
  };

  const ordered =
    (name: '$gt' | '$gte' | '$lt' | '$lte', holds: (c: number) => boolean): QueryOperator =>
    (selector, value, options) =>
      typeof value === 'string'
        ? anyString(selector, (s) => holds(collation.collator.compare(s, value)))
        : builtin[name]!(selector, value, options);

  return {
    $eq,
    $ne: (selector, value, options) => {
      const eq = $eq(selector, value, options);
      return (doc) => !eq(doc);
    },
    $in,
    $nin: (selector, value, options) => {
      const inside = $in(selector, value, options);
      return (doc) => !inside(doc);
    },
    $gt: ordered('$gt', (c) => c > 0),
    $gte: ordered('$gte', (c) => c >= 0),
    $lt: ordered('$lt', (c) => c < 0),
    $lte: ordered('$lte', (c) => c <= 0),
  };
}

function binaryFind(sorted: string[], value: string, collation: Collation): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = collation.collator.compare(sorted[mid]!, value);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The `_id` expression of a `$group` replaced by one that gives collation-equal keys one representative. */
const GROUP_KEY = '$__collatedGroupKey';

/**
 * `$group` whose keys compare through the collation: "abc" and "ABC" (strength 2) form one group, keyed
 * by the first value seen, as mongod does. Each run of the stage gets its own set of representatives.
 */
export function collatedPipelineOperators(collation: Collation): Record<string, PipelineOperator> {
  const builtin = pipelineOperators as unknown as Record<string, PipelineOperator>;
  const $group: PipelineOperator = (collection, expr, options) => {
    const spec = expr as Document;
    if (!spec || typeof spec !== 'object' || !('_id' in spec))
      return builtin.$group!(collection, expr, options);
    const classes = new StringClasses(collation);
    return builtin.$group!(
      collection,
      { ...spec, _id: { [GROUP_KEY]: { expr: spec._id, classes } } },
      options,
    );
  };
  return { $group };
}

/** The expression operator behind the `$group` above. */
export const collatedExpressionOperators = {
  [GROUP_KEY]: (obj: Document, expr: { expr: unknown; classes: StringClasses }, options: Options) =>
    expr.classes.canonical(evalExpr(obj, expr.expr, options), true),
};
