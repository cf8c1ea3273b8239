import type { Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';
import type { Catalog } from '../storage/Catalog.js';
import type { Collection } from '../storage/Collection.js';
import type { Collation } from './collation/Collation.js';
import { collationOptions } from './collation/collationContext.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { createAggregator } from './mingoOperators.js';

/**
 * Views live in the catalog as collections whose options hold `viewOn` and `pipeline`, as mongod keeps
 * them in `system.views`: they are journaled and snapshotted with the catalog, so they survive a restart.
 */
export function isView(coll: Collection | undefined): boolean {
  return coll !== undefined && typeof coll.options.viewOn === 'string';
}

/** Refuses a write to a view with mongod's CommandNotSupportedOnView (166). */
export function refuseWriteOnView(catalog: Catalog, db: string, name: string): void {
  if (isView(catalog.get(db, name))) {
    throw new MongoCommandError(
      ErrorCode.CommandNotSupportedOnView,
      `Namespace ${db}.${name} is a view, not a collection`,
    );
  }
}

/** Stages a view may not hold (mongod: 51047 for $out/$merge inside a view). */
export function checkViewDefinition(viewOn: unknown, pipeline: unknown): Document[] {
  if (typeof viewOn !== 'string' || viewOn.length === 0) {
    throw MongoCommandError.typeMismatch("BSON field 'viewOn' is the wrong type, expected type 'string'");
  }
  const stages = pipeline === undefined ? [] : pipeline;
  if (!Array.isArray(stages) || stages.some((stage) => !isPlainObject(stage))) {
    throw MongoCommandError.typeMismatch("BSON field 'pipeline' is the wrong type, expected type 'array'");
  }
  for (const stage of stages as Document[]) {
    const name = Object.keys(stage)[0];
    if (name === '$out' || name === '$merge') {
      throw new MongoCommandError(
        ErrorCode.OptionNotSupportedOnView,
        `${name} cannot be used in a view definition`,
      );
    }
  }
  return stages as Document[];
}

/** What a view reads: the collection at the end of its chain and the pipelines of the chain, in order. */
export interface ResolvedView {
  source: Collection | undefined;
  pipeline: Document[];
}

/** Resolves `name` if it is a view (views on views included), else undefined. */
export function resolveView(catalog: Catalog, db: string, name: string): ResolvedView | undefined {
  let coll = catalog.get(db, name);
  if (!isView(coll)) return undefined;
  const pipeline: Document[] = [];
  for (let depth = 0; isView(coll); depth++) {
    if (depth >= 20) {
      throw new MongoCommandError(
        ErrorCode.InvalidViewDefinition,
        `View depth too deep or view cycle detected; maximum depth is 20`,
      );
    }
    pipeline.unshift(...((coll!.options.pipeline as Document[] | undefined) ?? []));
    coll = catalog.get(db, coll!.options.viewOn as string);
  }
  return { source: coll, pipeline };
}

/** The view's documents after `stages` (a find or count rewritten as stages), run over its source. */
export function readView(
  catalog: Catalog,
  db: string,
  view: ResolvedView,
  stages: Document[],
  collation?: Collation,
): Document[] {
  const input: Document[] = [];
  for (const stored of view.source?.documents() ?? []) input.push(stored.doc);
  const pipeline = [...view.pipeline, ...stages];
  if (pipeline.length === 0) return input;
  try {
    return createAggregator(pipeline, {
      ...collationOptions(collation),
      collectionResolver: (other: string) => {
        const coll = catalog.get(db, other);
        return coll ? [...coll.documents()].map((stored) => stored.doc) : [];
      },
    }).run(input) as Document[];
  } catch (error) {
    throw MongoCommandError.from(error);
  }
}
