/**
 * The paths, in a document read from the store, of keys that must never be stored: a key starting with `$`
 * is read back as an operator by MongoDB's update and query languages, and `__proto__` becomes a prototype
 * once a document is copied into a plain object. Values of other classes (ObjectId, Date, Binary) are leaves.
 */
export function findBadKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findBadKeys(item, `${path}[${i}]`));
  if (!isPlainObject(value)) return [];
  return Object.keys(value).flatMap((key) => {
    const here = path ? `${path}.${key}` : key;
    const bad = key.startsWith('$') || key === '__proto__' ? [here] : [];
    return [...bad, ...findBadKeys((value as Record<string, unknown>)[key], here)];
  });
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
