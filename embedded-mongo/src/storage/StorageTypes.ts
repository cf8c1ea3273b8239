import type { Document } from 'bson';
import type { IndexSpec } from '../indexes/IndexTypes.js';

/** Options a collection was created with (`create` command), kept in the catalog. */
export interface CollectionOptions {
  [option: string]: unknown;
}

/** A change to the catalog (collections and indexes), as journaled. */
export type CatalogChange =
  | { op: 'createCollection'; ns: string; options: CollectionOptions }
  | { op: 'dropCollection'; ns: string }
  | { op: 'createIndex'; ns: string; spec: IndexSpec }
  | { op: 'dropIndex'; ns: string; name: string }
  | { op: 'renameCollection'; from: string; to: string }
  | { op: 'dropDatabase'; db: string };

/** Receives every change made to the data, in order; the durable store journals them. */
export interface ChangeSink {
  inserted(ns: string, doc: Document, raw?: Buffer): void;
  replaced(ns: string, doc: Document): void;
  deleted(ns: string, id: unknown): void;
  catalogChanged(change: CatalogChange): void;
}

/** A sink that drops everything: the in-memory store. */
export const nullSink: ChangeSink = {
  inserted() {},
  replaced() {},
  deleted() {},
  catalogChanged() {},
};
