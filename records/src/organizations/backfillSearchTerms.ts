import type { Types } from 'mongoose';
import type { Models } from '../models/registerModels.js';
import { organizationSearchTerms } from './organizationSearchTerms.js';

const batchSize = 500;

/**
 * Gives organizations written before names were indexed for search their terms, so no migration step is
 * needed: records runs this at start, after the indexes. Idempotent and cheap once done: the lookup of rows
 * without terms is served by the `searchTerms` index, which files a row without the field under null.
 * Answers how many rows it filled.
 */
export async function backfillSearchTerms(models: Models): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await models.Organization.find({ searchTerms: null }, { name: 1 })
      .limit(batchSize)
      .lean<{ _id: Types.ObjectId; name: { ar: string; en: string } }[]>();
    if (rows.length === 0) return filled;
    await models.Organization.bulkWrite(
      rows.map((row) => ({
        updateOne: {
          filter: { _id: row._id },
          update: { $set: { searchTerms: organizationSearchTerms(row.name) } },
        },
      })),
    );
    filled += rows.length;
    if (rows.length < batchSize) return filled;
  }
}
