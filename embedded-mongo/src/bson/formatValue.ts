import { EJSON } from 'bson';
import { TypeClass, typeClassOf } from './compareValues.js';

/** A value as mongod prints it inside error messages (`dup key: { email: "a@b" }`). */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeClassOf(value) === TypeClass.ObjectId)
    return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  try {
    return EJSON.stringify(value as never, { relaxed: true });
  } catch {
    return String(value);
  }
}
