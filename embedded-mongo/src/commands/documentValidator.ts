import type { Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';
import type { Collection } from '../storage/Collection.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';
import { compileFilter } from './queryEngine.js';

function mentionsJsonSchema(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsJsonSchema);
  if (!isPlainObject(value)) return false;
  return Object.entries(value as Document).some(
    ([key, inner]) => key === '$jsonSchema' || mentionsJsonSchema(inner),
  );
}

/**
 * Checks a `validator` when a collection is created or modified. Query validators run through the
 * same matcher as `find`; `$jsonSchema` is refused plainly rather than accepted and never enforced.
 */
export function checkValidator(validator: unknown): void {
  if (!isPlainObject(validator)) {
    throw MongoCommandError.typeMismatch("BSON field 'validator' is the wrong type, expected type 'object'");
  }
  if (mentionsJsonSchema(validator)) {
    throw new MongoCommandError(
      ErrorCode.CommandNotSupported,
      '$jsonSchema validators are not supported by the embedded MongoDB server; use a query validator',
    );
  }
  compileFilter(validator as Document);
}

/** Checks the validation level and action options as mongod's IDL does. */
export function checkValidationOptions(options: Document): void {
  const level = options.validationLevel;
  if (level !== undefined && !['off', 'strict', 'moderate'].includes(level as string)) {
    throw MongoCommandError.badValue(
      `Enumeration value '${String(level)}' for field 'validationLevel' is not a valid value.`,
    );
  }
  const action = options.validationAction;
  if (action !== undefined && !['error', 'warn'].includes(action as string)) {
    throw MongoCommandError.badValue(
      `Enumeration value '${String(action)}' for field 'validationAction' is not a valid value.`,
    );
  }
}

function matches(validator: Document, doc: Document): boolean {
  return compileFilter(validator).test(doc);
}

/**
 * Refuses a document the collection's validator rejects (DocumentValidationFailure, 121). `before` is the
 * stored version an update changes: under `validationLevel: moderate` an update to a document that
 * already failed is let through, as mongod does. `validationAction: warn` lets everything through.
 */
export function validateDocument(coll: Collection | undefined, doc: Document, before?: Document): void {
  const validator = coll?.options.validator as Document | undefined;
  if (!validator || Object.keys(validator).length === 0) return;
  const { validationLevel = 'strict', validationAction = 'error' } = coll!.options as Document;
  if (validationLevel === 'off' || validationAction === 'warn') return;
  if (matches(validator, doc)) return;
  if (before && validationLevel === 'moderate' && !matches(validator, before)) return;
  throw new MongoCommandError(ErrorCode.DocumentValidationFailure, 'Document failed validation', {
    errInfo: {
      failingDocumentId: doc._id,
      details: { operatorName: Object.keys(validator)[0], specifiedAs: validator },
    },
  });
}
