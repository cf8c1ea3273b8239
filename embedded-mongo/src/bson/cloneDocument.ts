/**
 * Deep copy of a stored document. Plain objects and arrays are copied; BSON value objects
 * (ObjectId, Binary, Long, …) are shared, because stored documents are never mutated in place:
 * an update works on a copy and swaps it in, which keeps open cursors and snapshots consistent.
 */
export function cloneDocument<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneDocument(item)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneDocument((value as Record<string, unknown>)[key]);
  return out as T;
}
