import type { Document } from 'bson';

/** An index as `createIndexes` describes it and `listIndexes` reports it. */
export interface IndexSpec {
  name: string;
  /** Ordered key pattern, e.g. `{ patientId: 1, startedAt: -1 }`. */
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** One index entry: the key values (one per indexed field) and the owning document's key. */
export interface IndexEntry {
  key: unknown[];
  id: string;
}

/** Where an entry lies relative to a searched region: <0 before, 0 inside, >0 after. */
export type KeyProbe = (key: unknown[]) => number;

/** The `_id` index every collection has; it is backed by the collection's document Map. */
export const ID_INDEX_SPEC: IndexSpec = { name: '_id_', key: { _id: 1 } };
