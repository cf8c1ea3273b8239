import type { Document } from 'bson';

/** A document or subdocument as deserialized: an object literal, not an array, Date or BSON value class. */
export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
