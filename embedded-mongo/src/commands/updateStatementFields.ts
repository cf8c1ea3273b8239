import type { Document } from 'bson';
import { MongoCommandError } from './MongoCommandError.js';

/** The fields of an `update` statement MongoDB 7.0's command parser knows. */
const UPDATE_STATEMENT_FIELDS = new Set([
  'q',
  'u',
  'c',
  'arrayFilters',
  'hint',
  'multi',
  'upsert',
  'upsertSupplied',
  'collation',
  'sampleId',
  'allowShardKeyUpdatesWithoutFullShardKeyInQuery',
]);

/**
 * Refuses the whole command when a statement has a field 7.0 does not know, as its IDL parser does
 * (code 40415) before running any statement: `sort` on updateOne/replaceOne came with 8.0, and a store
 * that accepted it would hide the bug until the application met a real 7.0.
 */
export function refuseUnknownUpdateFields(stmts: Document[]): void {
  for (const stmt of stmts) {
    for (const key of Object.keys(stmt)) {
      if (!UPDATE_STATEMENT_FIELDS.has(key)) {
        throw new MongoCommandError(40415, `BSON field 'update.updates.${key}' is an unknown field.`);
      }
    }
  }
}
