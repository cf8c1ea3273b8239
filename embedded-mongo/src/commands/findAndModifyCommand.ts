import type { Document } from 'bson';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { commandCollation } from './collation/commandCollation.js';
import { validateDocument } from './documentValidator.js';
import { ErrorCode } from './errorCodes.js';
import { FindProjection } from './FindProjection.js';
import { bindFilter, parseLet } from './letVariables.js';
import { MongoCommandError } from './MongoCommandError.js';
import { collectionName, matchDocuments, parseSort, requireDocument, sortDocuments } from './queryEngine.js';
import { applyUpdate, upsertDocument } from './updateEngine.js';
import { refuseWriteOnView } from './views.js';

function findAndModify(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, ctx.name);
  const body = ctx.body;
  refuseWriteOnView(ctx.env.catalog, ctx.db, name);
  const variables = parseLet(body.let, 'findAndModify.let');
  const query = bindFilter(requireDocument(body.query, 'query', {}), variables);
  const sort = parseSort(body.sort);
  const remove = body.remove === true;
  const update = body.update as Document | Document[] | undefined;
  if (remove && update !== undefined) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'Cannot specify both an update and remove=true');
  }
  if (!remove && update === undefined) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'Either an update or remove=true must be specified');
  }
  if (remove && body.upsert === true) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  }
  if (remove && body.new === true) {
    throw new MongoCommandError(
      ErrorCode.FailedToParse,
      'Cannot specify both new=true and remove=true; remove=true returns the document',
    );
  }
  const arrayFilters = Array.isArray(body.arrayFilters) ? (body.arrayFilters as Document[]) : undefined;
  const projection = FindProjection.compile(body.fields, query);
  const shown = (doc: Document | null): Document | null => {
    if (!doc || !projection) return doc;
    try {
      return projection.apply(doc);
    } catch (error) {
      throw MongoCommandError.from(error).causing('Plan executor error during findAndModify');
    }
  };

  let coll = ctx.env.catalog.get(ctx.db, name);
  const collation = commandCollation(body, coll);
  const candidates = matchDocuments(
    coll,
    query,
    sort.length > 0 ? Number.POSITIVE_INFINITY : 1,
    collation,
  ).docs;
  const stored = sortDocuments(candidates, sort, collation)[0];
  const found = stored?.doc;

  if (remove) {
    if (!found) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    coll!.delete(stored!.key);
    return { lastErrorObject: { n: 1 }, value: shown(found), ok: 1 };
  }
  if (found) {
    const outcome = applyUpdate(found, update!, {
      query,
      ...(arrayFilters ? { arrayFilters } : {}),
      ...(variables ? { variables } : {}),
    });
    if (outcome.changed) {
      validateDocument(coll, outcome.doc, found);
      coll!.replace(stored!.key, outcome.doc);
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shown(body.new === true ? outcome.doc : found),
      ok: 1,
    };
  }
  if (body.upsert === true) {
    const doc = upsertDocument(query, update!, arrayFilters, variables);
    coll ??= ctx.env.catalog.getOrCreate(ctx.db, name);
    validateDocument(coll, doc);
    coll.insert(doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: body.new === true ? shown(doc) : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
}

/** findAndModify (findOneAndUpdate/Replace/Delete in the drivers). */
export function registerFindAndModifyCommand(dispatcher: CommandDispatcher): void {
  dispatcher.register(['findAndModify', 'findandmodify'], findAndModify);
}
