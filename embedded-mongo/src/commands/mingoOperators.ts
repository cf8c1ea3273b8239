import type { Document } from 'bson';
import { Aggregator as BaseAggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import { timeZoneOperators } from './timeZoneOperators.js';

/**
 * mingo's operators with the conversions MongoDB performs on BSON values it does not know:
 * `$toString` (and `$convert` to string) of an ObjectId gives its 24 hex digits, and of a
 * Long or Decimal128 its digits. mingo lets a context add operators but not replace built-in
 * ones, so this builds the whole operator set itself through mingo's public modules.
 */

type Expression = (obj: Document, expr: unknown, options: Options) => unknown;

const builtinToString = expressionOperators.$toString as Expression;
const builtinConvert = expressionOperators.$convert as Expression;

/** A BSON value's string form as MongoDB's `$toString` gives it, or undefined to defer to mingo. */
function bsonString(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'ObjectId':
      return (value as { toHexString(): string }).toHexString();
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return String(value);
    default:
      return undefined;
  }
}

const $toString: Expression = (obj, expr, options) => {
  const value = evalExpr(obj, expr, options);
  return bsonString(value) ?? builtinToString(obj, { $literal: value }, options);
};

const $convert: Expression = (obj, expr, options) => {
  const spec = expr as { input?: unknown; to?: unknown } | null;
  if (spec && typeof spec === 'object') {
    const to = evalExpr(obj, spec.to, options);
    if (to === 'string' || to === 2) {
      const text = bsonString(evalExpr(obj, spec.input, options));
      if (text !== undefined) return text;
    }
  }
  return builtinConvert(obj, expr, options);
};

const operators = {
  accumulator: accumulatorOperators,
  expression: {
    ...expressionOperators,
    ...timeZoneOperators(expressionOperators),
    $toString,
    $convert,
  } as typeof expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
};

const context = Context.init(operators);

/** The operator set with a collation's replacements, for queries and pipelines that use it. */
export function operatorContext(
  replacements: {
    query?: Record<string, unknown>;
    pipeline?: Record<string, unknown>;
    expression?: Record<string, unknown>;
  } = {},
): Context {
  return Context.init({
    ...operators,
    query: { ...operators.query, ...replacements.query } as typeof queryOperators,
    pipeline: { ...operators.pipeline, ...replacements.pipeline } as typeof pipelineOperators,
    expression: { ...operators.expression, ...replacements.expression } as typeof expressionOperators,
  });
}

/** An aggregation pipeline runner with MongoDB's conversions of BSON values. */
export function createAggregator(pipeline: Document[], options: Partial<Options> = {}): BaseAggregator {
  return new BaseAggregator(pipeline, { context, ...options });
}
