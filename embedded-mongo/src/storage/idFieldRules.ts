import type { Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';
import { rawIdValue } from '../bson/rawFields.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';

function dollarField(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = dollarField(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, inner] of Object.entries(value as Document)) {
    if (key.startsWith('$')) return key;
    const found = dollarField(inner);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses an embedded-document `_id` holding a `$`-prefixed field (`{_id: {$a: 1}}`), as mongod's storage
 * validation does: such an `_id` reads as an operator expression to every query that tries to find it.
 * `raw` has `_id` first; only an embedded document (type 0x03) is decoded.
 */
export function checkIdDocument(raw: Buffer): void {
  if (raw[4] !== 0x03) return;
  const field = dollarField(rawIdValue(raw));
  if (field) {
    throw new MongoCommandError(
      ErrorCode.DollarPrefixedFieldName,
      `_id fields may not contain '$'-prefixed fields: ${field} is not valid for storage.`,
    );
  }
}
