import type { Document } from 'bson';
import { MAX_WRITE_BATCH_SIZE } from '../bson/bsonLimits.js';
import { rawArrayDocuments } from '../bson/rawDocuments.js';
import { deserializeStored, serialize } from '../bson/serialize.js';
import { SliceClock } from '../scheduling/SliceClock.js';
import type { Collection } from '../storage/Collection.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { commandCollation } from './collation/commandCollation.js';
import { validateDocument } from './documentValidator.js';
import { ErrorCode } from './errorCodes.js';
import { bindFilter, mergeLet, parseLet } from './letVariables.js';
import { MongoCommandError } from './MongoCommandError.js';
import { collectionName, requireDocument } from './queryEngine.js';
import { applyUpdate, updateKind, upsertDocument } from './updateEngine.js';
import { refuseUnknownUpdateFields } from './updateStatementFields.js';
import { refuseWriteOnView } from './views.js';
import { changeInSlices, matchesInSlices } from './writeInSlices.js';

function checkBatchSize(length: number): void {
  if (length === 0 || length > MAX_WRITE_BATCH_SIZE) {
    throw new MongoCommandError(
      ErrorCode.InvalidLength,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${length} operations.`,
    );
  }
}

/** The statements of an update or delete: from an OP_MSG document sequence or the command body. */
function statements(ctx: CommandContext, field: string): Document[] {
  const sequence = ctx.request.sequences.get(field);
  let docs: Document[];
  if (sequence) {
    docs = sequence.docs;
  } else {
    const value = ctx.body[field];
    if (!Array.isArray(value)) {
      throw MongoCommandError.typeMismatch(`BSON field '${ctx.name}.${field}' is missing or not an array`);
    }
    docs = value as Document[];
  }
  checkBatchSize(docs.length);
  for (const doc of docs) requireDocument(doc, `${ctx.name}.${field}`);
  return docs;
}

/**
 * The documents of an insert as BSON bytes: stored as the client sent them, so a batch is
 * never decoded into objects (the wire codec has already validated the bytes).
 */
function insertedDocuments(ctx: CommandContext): Buffer[] {
  const sequence = ctx.request.sequences.get('documents');
  if (sequence) {
    checkBatchSize(sequence.raws.length);
    return sequence.raws;
  }
  const value = ctx.body.documents;
  if (!Array.isArray(value)) {
    throw MongoCommandError.typeMismatch(`BSON field '${ctx.name}.documents' is missing or not an array`);
  }
  checkBatchSize(value.length);
  for (const doc of value) requireDocument(doc, `${ctx.name}.documents`);
  const raws = rawArrayDocuments(ctx.request.bodyRaw, 'documents');
  return raws && raws.length === value.length ? raws : value.map((doc) => serialize(doc as Document));
}

/** Runs each statement; ordered batches stop at the first error, unordered ones continue. */
async function runBatch(
  ctx: CommandContext,
  count: number,
  run: (i: number) => void | Promise<void>,
): Promise<Document[]> {
  const ordered = ctx.body.ordered !== false;
  const writeErrors: Document[] = [];
  for (let i = 0; i < count; i++) {
    try {
      await run(i);
    } catch (error) {
      writeErrors.push(MongoCommandError.from(error).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

async function insert(ctx: CommandContext): Promise<Document> {
  const name = collectionName(ctx.body, 'insert');
  const raws = insertedDocuments(ctx);
  refuseWriteOnView(ctx.env.catalog, ctx.db, name);
  const coll = ctx.env.catalog.getOrCreate(ctx.db, name);
  let n = 0;
  const writeErrors = await runBatch(ctx, raws.length, (i) => {
    if (coll.options.validator) validateDocument(coll, deserializeStored(raws[i]!));
    coll.insertRaw(raws[i]!);
    n++;
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

function arrayFiltersOf(stmt: Document): Document[] | undefined {
  if (stmt.arrayFilters === undefined || stmt.arrayFilters === null) return undefined;
  if (!Array.isArray(stmt.arrayFilters))
    throw MongoCommandError.typeMismatch('arrayFilters must be an array');
  return stmt.arrayFilters as Document[];
}

async function update(ctx: CommandContext): Promise<Document> {
  const name = collectionName(ctx.body, 'update');
  const stmts = statements(ctx, 'updates');
  refuseUnknownUpdateFields(stmts);
  const commandLet = parseLet(ctx.body.let, 'update.let');
  refuseWriteOnView(ctx.env.catalog, ctx.db, name);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const clock = new SliceClock();
  const writeErrors = await runBatch(ctx, stmts.length, async (i) => {
    const stmt = stmts[i]!;
    const variables = mergeLet(commandLet, parseLet(stmt.c, 'update.updates.c'));
    const q = bindFilter(requireDocument(stmt.q, 'q', {}), variables);
    const u = stmt.u as Document | Document[];
    const multi = stmt.multi === true;
    const kind = updateKind(u);
    if (multi && kind === 'replacement') {
      throw new MongoCommandError(
        ErrorCode.FailedToParse,
        'multi update is not supported for replacement-style update',
      );
    }
    const arrayFilters = arrayFiltersOf(stmt);
    let coll: Collection | undefined = ctx.env.catalog.get(ctx.db, name);
    const collation = commandCollation(stmt, coll);
    const present = () => ctx.env.catalog.get(ctx.db, name) === coll;
    const matched = coll
      ? await matchesInSlices(coll, q, multi ? Number.POSITIVE_INFINITY : 1, clock, present, collation)
      : [];
    if (matched.length === 0) {
      if (stmt.upsert === true) {
        const doc = upsertDocument(q, u, arrayFilters, variables);
        coll ??= ctx.env.catalog.getOrCreate(ctx.db, name);
        validateDocument(coll, doc);
        coll.insert(doc);
        upserted.push({ index: i, _id: doc._id });
        n++;
      }
      return;
    }
    await changeInSlices(
      coll!,
      q,
      matched,
      clock,
      present,
      (stored) => {
        const outcome = applyUpdate(stored.doc, u, {
          query: q,
          ...(arrayFilters ? { arrayFilters } : {}),
          ...(variables ? { variables } : {}),
        });
        n++;
        if (outcome.changed) {
          validateDocument(coll, outcome.doc, stored.doc);
          coll!.replace(stored.key, outcome.doc);
          nModified++;
        }
      },
      collation,
    );
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

async function remove(ctx: CommandContext): Promise<Document> {
  const name = collectionName(ctx.body, 'delete');
  const stmts = statements(ctx, 'deletes');
  const variables = parseLet(ctx.body.let, 'delete.let');
  refuseWriteOnView(ctx.env.catalog, ctx.db, name);
  const coll = ctx.env.catalog.get(ctx.db, name);
  let n = 0;
  const clock = new SliceClock();
  const writeErrors = await runBatch(ctx, stmts.length, async (i) => {
    const stmt = stmts[i]!;
    const collation = commandCollation(stmt, coll);
    const q = bindFilter(requireDocument(stmt.q, 'q'), variables);
    const limit = Number(stmt.limit ?? 0);
    if (limit !== 0 && limit !== 1)
      throw MongoCommandError.badValue(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
    if (!coll) return;
    const present = () => ctx.env.catalog.get(ctx.db, name) === coll;
    const matched = await matchesInSlices(
      coll,
      q,
      limit === 1 ? 1 : Number.POSITIVE_INFINITY,
      clock,
      present,
      collation,
    );
    await changeInSlices(
      coll,
      q,
      matched,
      clock,
      present,
      (doc) => {
        if (coll.delete(doc.key)) n++;
      },
      collation,
    );
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

/** insert, update and delete, with MongoDB's batch semantics and write error shapes. */
export function registerWriteCommands(dispatcher: CommandDispatcher): void {
  dispatcher.register('insert', insert);
  dispatcher.register('update', update);
  dispatcher.register('delete', remove);
}
