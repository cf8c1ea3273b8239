import type { Document } from 'bson';
import type { Collection } from '../../storage/Collection.js';
import { Collation } from './Collation.js';

/**
 * The collation a command runs with: its own `collation` field, else the collection's default (from
 * `create`), else none (binary comparison). `{locale: "simple"}` overrides a collection default.
 */
export function commandCollation(body: Document, coll: Collection | undefined): Collation | undefined {
  if (body.collation !== undefined && body.collation !== null) return Collation.parse(body.collation);
  return collectionCollation(coll);
}

/** A collection's default collation, if it was created with one. */
export function collectionCollation(coll: Collection | undefined): Collation | undefined {
  const raw = coll?.options.collation;
  return raw === undefined ? undefined : Collation.parse(raw);
}
