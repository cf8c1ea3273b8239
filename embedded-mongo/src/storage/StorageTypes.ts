import type { IndexSpec } from '../indexes/IndexTypes.js';
import type { KeyChunk } from '../indexes/KeyChunk.js';

/** Options a collection was created with (`create` command), kept in the catalog. */
export interface CollectionOptions {
  [option: string]: unknown;
}

/** A change to the catalog (collections and indexes), as journaled. */
export type CatalogChange =
  | { op: 'createCollection'; ns: string; options: CollectionOptions }
  | { op: 'dropCollection'; ns: string }
  | { op: 'modifyCollection'; ns: string; options: CollectionOptions }
  | { op: 'createIndex'; ns: string; spec: IndexSpec }
  | { op: 'dropIndex'; ns: string; name: string }
  | { op: 'renameCollection'; from: string; to: string }
  | { op: 'dropDatabase'; db: string };

/** Receives every change made to the data, in order, as BSON bytes; the durable store journals them. */
export interface ChangeSink {
  /** A new document (`_id` first). */
  inserted(ns: string, raw: Buffer): void;
  /** The new version of an existing document. */
  replaced(ns: string, raw: Buffer): void;
  /** `{_id}` of a deleted document. */
  deleted(ns: string, idDoc: Buffer): void;
  catalogChanged(change: CatalogChange): void;
}

/** A sink that drops everything: the in-memory store. */
export const nullSink: ChangeSink = {
  inserted() {},
  replaced() {},
  deleted() {},
  catalogChanged() {},
};

/** A ready index's entries as a snapshot writes them: chunks its index copies before it changes one (see OrderedIndex.freeze). */
export interface FrozenIndex {
  spec: IndexSpec;
  multikey: boolean;
  chunks: readonly KeyChunk[];
}
