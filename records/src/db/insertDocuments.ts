import type { Document } from 'mongodb';
import { Types } from 'mongoose';
import { connectedDb, type DriverModel } from './connectedDb.js';

interface WriteReply {
  n?: number;
  writeErrors?: { index: number; code: number; errmsg: string }[];
  writeConcernError?: { code: number; errmsg: string };
}

/**
 * Inserts `documents` in order with a single `insert` command, and throws unless every one was written.
 * The audit trail's write, which rides on every read of patient data: the driver's `insertMany` wraps the
 * same command in a bulk operation (batch splitting, result objects, retry planning), ~5% of the records
 * service's CPU per name search. No splitting is needed: an audit batch is the events of one burst of
 * requests, kilobytes, far under the 16 MiB a command may carry. Documents without an `_id` get one here,
 * as the driver would.
 */
export async function insertDocuments(
  model: DriverModel,
  documents: Document[],
  writeConcern?: Document,
): Promise<void> {
  for (const document of documents) document._id ??= new Types.ObjectId();
  const command: Document = { insert: model.collection.collectionName, documents, ordered: true };
  if (writeConcern) command.writeConcern = writeConcern;
  const reply = (await connectedDb(model).command(command)) as WriteReply;
  const failure = reply.writeErrors?.[0] ?? reply.writeConcernError;
  if (failure) {
    const error = new Error(`insert into ${command.insert} failed: ${failure.errmsg}`) as Error & {
      code: number;
    };
    error.code = failure.code;
    throw error;
  }
  if (reply.n !== documents.length)
    throw new Error(`insert into ${command.insert} wrote ${reply.n} of ${documents.length} documents`);
}
