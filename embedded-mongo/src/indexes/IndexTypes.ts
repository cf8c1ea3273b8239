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
  /** A collation (every field filled in, as listIndexes shows it); none: binary comparison. */
  collation?: Document;
}

/** One index entry: its entry key (the encoded key values, then the document key) and the document key. */
export interface IndexEntry {
  key: string;
  id: string;
}

/** Where an entry key lies relative to a searched region: <0 before, 0 inside, >0 after. */
export type KeyProbe = (entryKey: string) => number;

/** The `_id` index every collection has; it is backed by the collection's document Map. */
export const ID_INDEX_SPEC: IndexSpec = { name: '_id_', key: { _id: 1 } };

/** Node sizes of an OrderedIndex; the defaults suit indexes of millions of entries, tests use small ones. */
export interface OrderedIndexOptions {
  /** Entries per chunk before it splits (default 256). */
  maxChunk?: number;
  /** Chunks per group before it splits (default 256). */
  maxGroup?: number;
}
