import { EJSON } from 'bson';
import { TypeClass, typeClassOf } from './compareValues.js';

/**
 * The string under which a document is kept in its collection's Map: one canonical form
 * per distinct `_id`, so 1 and 1.0 (equal in MongoDB) share a key and ObjectIds key by hex.
 */
export function documentKey(id: unknown): string {
  if (typeof id === 'string') return `s${id}`;
  switch (typeClassOf(id)) {
    case TypeClass.ObjectId:
      return `o${(id as { toHexString(): string }).toHexString()}`;
    case TypeClass.Number:
      return `n${Number(typeof id === 'number' ? id : ((id as { valueOf(): unknown }).valueOf?.() ?? id))}`;
    case TypeClass.Null:
      return 'z';
    case TypeClass.Date:
      return `d${(id as Date).getTime()}`;
    default:
      return `x${EJSON.stringify(id as never, { relaxed: false })}`;
  }
}
