/**
 * Values a dotted path reaches in a document, expanding arrays on the way the way MongoDB's
 * multikey indexes do. A missing path yields `[undefined]`.
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  collect(doc, parts, 0, out);
  if (out.length === 0) out.push(undefined);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      for (const item of value) out.push(item);
      if (value.length > 0 && value.some(Array.isArray)) out.push(value);
    } else {
      out.push(value);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const part = parts[i]!;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) collect(value[Number(part)], parts, i + 1, out);
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) collect(item, parts, i, out);
    }
    return;
  }
  const next = (value as Record<string, unknown>)[part];
  if (next === undefined && i + 1 < parts.length) return;
  collect(next, parts, i + 1, out);
}

/** The single value at a dotted path without array expansion (undefined when missing). */
export function pathValue(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
