import type { Document } from 'bson';
import type { Query } from 'mingo';
import type { SliceClock } from '../scheduling/SliceClock.js';
import type { Collection } from '../storage/Collection.js';
import type { StoredDocument } from '../storage/StoredDocument.js';
import type { Collation } from './collation/Collation.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { compileFilter, PAUSE, streamMatches } from './queryEngine.js';

/**
 * Updates and deletes of many documents, done as mongod does them: in slices, with the event loop serving
 * other clients between two (`present` tells whether the collection is still the one being written).
 */

/** Lets the event loop run; stops the operation if its collection was dropped meanwhile. */
async function pause(clock: SliceClock, present: () => boolean): Promise<void> {
  await clock.nextSlice();
  if (!present()) {
    throw new MongoCommandError(ErrorCode.QueryPlanKilled, 'collection dropped during the operation');
  }
}

/**
 * The documents of `coll` matching `filter`, at most `limit`, read as mongod does with pauses: the event loop
 * serves other clients whenever `clock`'s slice is used up. All are found before any is changed, so a
 * document an update moves further along the index is not met again.
 */
export async function matchesInSlices(
  coll: Collection,
  filter: Document,
  limit: number,
  clock: SliceClock,
  present: () => boolean,
  collation?: Collation,
): Promise<StoredDocument[]> {
  const matched: StoredDocument[] = [];
  for (const doc of streamMatches(coll, filter, [], true, collation).docs) {
    if (doc === PAUSE) {
      if (clock.due) await pause(clock, present);
      continue;
    }
    matched.push(doc);
    if (matched.length >= limit) break;
    // Through an index every candidate matches: no pause comes from the stream.
    if (matched.length % 256 === 0 && clock.due) await pause(clock, present);
  }
  return matched;
}

/**
 * Each still-matching document of `matched` as it is now, changed or deleted by `change` with pauses between
 * slices: a document changed meanwhile is tested against the filter again, as mongod does after yielding.
 */
export async function changeInSlices(
  coll: Collection,
  filter: Document,
  matched: StoredDocument[],
  clock: SliceClock,
  present: () => boolean,
  change: (doc: StoredDocument) => void,
  collation?: Collation,
): Promise<void> {
  let paused = false;
  let query: Query | undefined;
  for (const found of matched) {
    if (clock.due) {
      await pause(clock, present);
      paused = true;
    }
    const current = paused ? coll.get(found.key) : found;
    if (!current) continue;
    if (current.raw !== found.raw) {
      query ??= compileFilter(filter, collation);
      if (!query.test(current.doc)) continue;
    }
    change(current);
  }
}
