import type { Document } from 'bson';

/**
 * A copy of `doc` with the value at the path `parts[0..depth]` replaced; every level on the path is copied,
 * everything off it is shared, so the stored document is never changed.
 */
export function withValueAt(doc: Document, parts: string[], depth: number, value: unknown, at = 0): Document {
  const part = parts[at]!;
  return {
    ...doc,
    [part]: at === depth ? value : withValueAt(doc[part] as Document, parts, depth, value, at + 1),
  };
}
