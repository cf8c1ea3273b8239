import type { Document } from 'bson';
import { MAX_WRITE_BATCH_SIZE } from '../bson/bsonLimits.js';
import { documentKey } from '../bson/documentKey.js';
import { rawArrayDocuments } from '../bson/rawDocuments.js';
import type { Collection } from '../storage/Collection.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { collectionName, matchDocuments, rejectCollation, requireDocument } from './queryEngine.js';
import { applyUpdate, updateKind, upsertDocument } from './updateEngine.js';

/** The statements of a batch write: from an OP_MSG document sequence or the command body. */
function statements(ctx: CommandContext, field: string): { docs: Document[]; raws: Buffer[] | undefined } {
  const sequence = ctx.request.sequences.get(field);
  let docs: Document[];
  let raws: Buffer[] | undefined;
  if (sequence) {
    docs = sequence.docs;
    raws = sequence.raws;
  } else {
    const value = ctx.body[field];
    if (!Array.isArray(value)) {
      throw MongoCommandError.typeMismatch(`BSON field '${ctx.name}.${field}' is missing or not an array`);
    }
    docs = value as Document[];
    if (field === 'documents') raws = rawArrayDocuments(ctx.request.bodyRaw, field);
  }
  if (docs.length === 0 || docs.length > MAX_WRITE_BATCH_SIZE) {
    throw new MongoCommandError(
      ErrorCode.InvalidLength,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${docs.length} operations.`,
    );
  }
  for (const doc of docs) requireDocument(doc, `${ctx.name}.${field}`);
  return { docs, raws: raws && raws.length === docs.length ? raws : undefined };
}

/** Runs each statement; ordered batches stop at the first error, unordered ones continue. */
function runBatch(ctx: CommandContext, count: number, run: (i: number) => void): Document[] {
  const ordered = ctx.body.ordered !== false;
  const writeErrors: Document[] = [];
  for (let i = 0; i < count; i++) {
    try {
      run(i);
    } catch (error) {
      writeErrors.push(MongoCommandError.from(error).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function insert(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'insert');
  const { docs, raws } = statements(ctx, 'documents');
  const coll = ctx.env.catalog.getOrCreate(ctx.db, name);
  let n = 0;
  const writeErrors = runBatch(ctx, docs.length, (i) => {
    coll.insert(docs[i]!, raws?.[i]);
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

function update(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'update');
  const { docs: stmts } = statements(ctx, 'updates');
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runBatch(ctx, stmts.length, (i) => {
    const stmt = stmts[i]!;
    rejectCollation(stmt);
    const q = requireDocument(stmt.q, 'q', {});
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
    const matched = matchDocuments(coll, q, multi ? Number.POSITIVE_INFINITY : 1).docs;
    if (matched.length === 0) {
      if (stmt.upsert === true) {
        const doc = upsertDocument(q, u, arrayFilters);
        coll ??= ctx.env.catalog.getOrCreate(ctx.db, name);
        coll.insert(doc);
        upserted.push({ index: i, _id: doc._id });
        n++;
      }
      return;
    }
    for (const doc of matched) {
      const outcome = applyUpdate(doc, u, { query: q, ...(arrayFilters ? { arrayFilters } : {}) });
      n++;
      if (outcome.changed) {
        coll!.replace(documentKey(doc._id), outcome.doc);
        nModified++;
      }
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

function remove(ctx: CommandContext): Document {
  const name = collectionName(ctx.body, 'delete');
  const { docs: stmts } = statements(ctx, 'deletes');
  const coll = ctx.env.catalog.get(ctx.db, name);
  let n = 0;
  const writeErrors = runBatch(ctx, stmts.length, (i) => {
    const stmt = stmts[i]!;
    rejectCollation(stmt);
    const q = requireDocument(stmt.q, 'q');
    const limit = Number(stmt.limit ?? 0);
    if (limit !== 0 && limit !== 1)
      throw MongoCommandError.badValue(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
    if (!coll) return;
    for (const doc of matchDocuments(coll, q, limit === 1 ? 1 : Number.POSITIVE_INFINITY).docs) {
      if (coll.delete(documentKey(doc._id))) n++;
    }
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

/** insert, update and delete, with MongoDB's batch semantics and write error shapes. */
export function registerWriteCommands(dispatcher: CommandDispatcher): void {
  dispatcher.register('insert', insert);
  dispatcher.register('update', update);
  dispatcher.register('delete', remove);
}
