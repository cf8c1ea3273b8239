import type { Context } from 'mingo/core';
import type { Options } from 'mingo/types';
import { operatorContext } from '../mingoOperators.js';
import type { Collation } from './Collation.js';
import {
  collatedExpressionOperators,
  collatedPipelineOperators,
  collatedQueryOperators,
} from './collatedOperators.js';

const contexts = new WeakMap<Collation, Context>();

/** mingo's operators comparing strings through `collation`; built once per collation (they are cached). */
export function collationContext(collation: Collation): Context {
  let context = contexts.get(collation);
  if (!context) {
    context = operatorContext({
      query: collatedQueryOperators(collation),
      pipeline: collatedPipelineOperators(collation),
      expression: collatedExpressionOperators,
    });
    contexts.set(collation, context);
  }
  return context;
}

/** mingo options for a query or pipeline under `collation` (none: mingo's defaults). */
export function collationOptions(collation: Collation | undefined): Partial<Options> {
  if (!collation) return {};
  return {
    context: collationContext(collation),
    collation: collation.intlSpec,
  } as unknown as Partial<Options>;
}
