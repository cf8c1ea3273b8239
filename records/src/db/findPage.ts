import type { Document } from 'mongodb';
import { connectedDb, type DriverModel } from './connectedDb.js';

export interface PageQuery {
  filter: Document;
  projection?: Document;
  sort?: Document;
  skip?: number;
  /** At most this many documents; pages are small (the API caps them at 100), far under a 16 MiB reply. */
  limit: number;
}

/**
 * One page of a query as a single `find` command with `singleBatch`: the server answers with the
 * documents and closes its cursor. The hot lists use it rather than the driver's cursor, whose
 * set-up and tear-down cost as much as decoding a page of twenty rows.
 */
export async function findPage<T>(model: DriverModel, query: PageQuery): Promise<T[]> {
  const command: Document = { find: model.collection.collectionName, filter: query.filter };
  if (query.projection) command.projection = query.projection;
  if (query.sort) command.sort = query.sort;
  if (query.skip) command.skip = query.skip;
  command.limit = query.limit;
  command.batchSize = query.limit;
  command.singleBatch = true;
  const reply = await connectedDb(model).command(command);
  return (reply as { cursor: { firstBatch: T[] } }).cursor.firstBatch;
}
