import type { Document } from 'bson';
import { compareValues } from '../bson/compareValues.js';
import { isPlainObject } from '../bson/isPlainObject.js';

const PLAIN_OPERATORS = new Set(['$set', '$unset', '$inc', '$push']);

/** A path of field names only: no positional `$`, array index, empty or prototype-reaching part. */
function plainPath(path: string): string[] | undefined {
  const parts = path.split('.');
  for (const part of parts) {
    if (part === '' || part.startsWith('$') || /^\d+$/.test(part)) return undefined;
    if (part === '__proto__' || part === 'constructor' || part === 'prototype') return undefined;
  }
  return parts;
}

/**
 * Applies the common shape of update in place, without mingo: `$set`, `$unset`, `$inc` and `$push` of
 * a single value, on paths of field names through plain objects. Mingo rebuilds its operator tables on
 * every call (~120 of its ~180 µs for a `$push` and an `$inc`), which was a tenth of the store's CPU for
 * each vital-signs entry written. Returns whether `doc` changed, or undefined, having changed nothing,
 * for anything else (array positions, `$each`, paths that conflict or pass through a non-object, a
 * non-number to increment): mingo then applies the update and reports its errors as before.
 */
export function applyPlainFieldUpdate(doc: Document, modifier: Document): boolean | undefined {
  const steps: Array<{ op: string; parts: string[]; value: unknown }> = [];
  for (const [op, fields] of Object.entries(modifier)) {
    if (!PLAIN_OPERATORS.has(op)) return undefined;
    for (const [path, value] of Object.entries(fields as Document)) {
      const parts = plainPath(path);
      if (!parts) return undefined;
      if (value === undefined || (op === '$inc' && typeof value !== 'number')) return undefined;
      if (op === '$push' && isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$')))
        return undefined;
      steps.push({ op, parts, value });
    }
  }
  // Two paths where one is the other or leads into it conflict: mingo reports that.
  const sorted = steps.map((step) => step.parts.join('.')).sort();
  for (let i = 1; i < sorted.length; i++) {
    const [before, path] = [sorted[i - 1]!, sorted[i]!];
    if (path === before || path.startsWith(`${before}.`)) return undefined;
  }
  // Every step is checked before any is applied, so an ineligible update leaves `doc` as it was.
  const skipped = new Set<number>();
  for (const [i, { op, parts, value }] of steps.entries()) {
    let parent: Document | undefined = doc;
    for (let depth = 0; parent && depth < parts.length - 1; depth++) {
      const next = ownField(parent, parts[depth]!);
      if (next !== undefined && !isPlainObject(next)) return undefined;
      parent = next;
    }
    const current = parent && ownField(parent, parts[parts.length - 1]!);
    if (op === '$inc' && current !== undefined && typeof current !== 'number') return undefined;
    if (op === '$push' && current !== undefined && !Array.isArray(current)) return undefined;
    if (
      op === '$set' &&
      current !== undefined &&
      compareValues(current, value) === 0 &&
      !sameType(current, value)
    )
      return undefined;
    if (op === '$unset' && !parent) skipped.add(i);
  }
  let changed = false;
  for (const [i, { op, parts, value }] of steps.entries()) {
    if (skipped.has(i)) continue;
    // Missing parents are created (an earlier step may have made some: conflicting paths were refused).
    let parent: Document = doc;
    for (let depth = 0; depth < parts.length - 1; depth++) {
      const name = parts[depth]!;
      if (!Object.hasOwn(parent, name)) parent[name] = {};
      parent = parent[name] as Document;
    }
    const field = parts[parts.length - 1]!;
    const current = ownField(parent, field);
    if (op === '$set') {
      if (current !== undefined && compareValues(current, value) === 0) continue;
      parent[field] = value;
    } else if (op === '$unset') {
      if (!Object.hasOwn(parent, field)) continue;
      delete parent[field];
    } else if (op === '$inc') {
      parent[field] = ((current as number | undefined) ?? 0) + (value as number);
      if (parent[field] === current) continue;
    } else if (current === undefined) {
      parent[field] = [value];
    } else {
      (current as unknown[]).push(value);
    }
    changed = true;
  }
  return changed;
}

/** A document's own field: one named like an Object.prototype member (`toString`) is missing unless set. */
function ownField(doc: Document, name: string): unknown {
  return Object.hasOwn(doc, name) ? doc[name] : undefined;
}

/** Whether two values compareValues finds equal are also the same kind of value (1 and 1.0 are; 1 and a Long are not). */
function sameType(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (a === null || b === null || typeof a !== 'object') return true;
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b);
}
