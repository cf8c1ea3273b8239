import { ID_INDEX_SPEC, type IndexSpec } from '../../indexes/IndexTypes.js';
import type { Collection } from '../../storage/Collection.js';
import { Collation } from './Collation.js';
import { collectionCollation } from './commandCollation.js';

/**
 * Gives `spec` the collation `createIndexes` asked for (`raw`), or else the collection's default one, as
 * mongod does; `{locale: "simple"}` asks for binary comparison even on a collection with a default.
 */
export function indexCollation(spec: IndexSpec, raw: unknown, coll: Collection | undefined): void {
  const collation = raw === undefined || raw === null ? collectionCollation(coll) : Collation.parse(raw);
  if (collation) spec.collation = collation.toDocument();
}

/** The `_id` index as listIndexes shows it: with the collection's default collation, if it has one. */
export function idIndexSpec(coll: Collection): IndexSpec {
  const collation = collectionCollation(coll);
  return collation ? { ...ID_INDEX_SPEC, collation: collation.toDocument() } : ID_INDEX_SPEC;
}
