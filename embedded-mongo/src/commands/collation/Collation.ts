import type { Document } from 'bson';
import { compareValues, typeClassOf } from '../../bson/compareValues.js';
import { ErrorCode } from '../errorCodes.js';
import { MongoCommandError } from '../MongoCommandError.js';

/** A collation as mongod reports it (listIndexes, listCollections): every field filled in. */
export interface CollationSpec {
  locale: string;
  caseLevel: boolean;
  caseFirst: 'upper' | 'lower' | 'off';
  strength: number;
  numericOrdering: boolean;
  alternate: 'non-ignorable' | 'shifted';
  maxVariable: 'punct' | 'space';
  normalization: boolean;
  backwards: boolean;
  /** The ICU version MongoDB 7.0 reports; comparisons here use Node's own ICU. */
  version: string;
}

const ICU_VERSION = '57.1';
/** mongod's IDL code for an unknown field (codeName Location40415). */
const UNKNOWN_FIELD = 40415;

const FIELD_TYPES: Record<string, 'string' | 'boolean' | 'number'> = {
  locale: 'string',
  caseLevel: 'boolean',
  caseFirst: 'string',
  strength: 'number',
  numericOrdering: 'boolean',
  alternate: 'string',
  maxVariable: 'string',
  normalization: 'boolean',
  backwards: 'boolean',
  version: 'string',
};

const ENUMS: Record<string, readonly string[]> = {
  caseFirst: ['upper', 'lower', 'off'],
  alternate: ['non-ignorable', 'shifted'],
  maxVariable: ['punct', 'space'],
};

/**
 * ICU strength mapped to Intl.Collator's sensitivity. Intl has no quaternary or identical level, so
 * strengths 4 and 5 compare as 3 (an approximation: they differ from mongod only for strings equal
 * at the tertiary level, e.g. with `alternate: "shifted"` punctuation, or canonically different forms).
 */
function sensitivity(strength: number, caseLevel: boolean): Intl.CollatorOptions['sensitivity'] {
  if (strength === 1) return caseLevel ? 'case' : 'base';
  if (strength === 2) return caseLevel ? 'variant' : 'accent';
  return 'variant';
}

function bsonTypeName(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function fieldValue(doc: Document, field: string): unknown {
  const value = doc[field];
  if (value === undefined) return undefined;
  const expected = FIELD_TYPES[field]!;
  const actual = typeof value === 'object' && value !== null && 'valueOf' in value ? value.valueOf() : value;
  if (typeof actual !== expected) {
    throw MongoCommandError.typeMismatch(
      `BSON field 'collation.${field}' is the wrong type '${bsonTypeName(value)}', expected type '${expected === 'boolean' ? 'bool' : expected}'`,
    );
  }
  const allowed = ENUMS[field];
  if (allowed && !allowed.includes(actual as string)) {
    throw MongoCommandError.badValue(
      `Field '${field}' must be one of: ${allowed.map((v) => `"${v}"`).join(', ')}`,
    );
  }
  return actual;
}

/** A locale ICU knows (`en_US` as mongod writes it), canonicalized for Intl; undefined when unknown. */
function intlLocale(locale: string): string | undefined {
  const tag = locale.replace(/_/g, '-');
  try {
    return Intl.Collator.supportedLocalesOf([tag])[0];
  } catch {
    return undefined;
  }
}

/**
 * A parsed, non-simple collation and its comparator. Built once per distinct spec (see `Collation.of`):
 * a query compares through one cached Intl.Collator, never one per comparison.
 *
 * Approximations of ICU as mongod configures it: strength 4 and 5 compare as 3; `maxVariable` "space"
 * and `normalization` are accepted and reported but Intl applies neither (Intl always normalizes);
 * `backwards` (French secondary order) is accepted, not applied; `alternate: "shifted"` maps to
 * Intl's `ignorePunctuation`, which ignores punctuation and spaces at every strength.
 */
export class Collation {
  static readonly #cache = new Map<string, Collation>();

  readonly spec: CollationSpec;
  /** Equal for equal specs: index and query collations are compared through it. */
  readonly key: string;
  readonly collator: Intl.Collator;
  /** The spec with the locale as Intl writes it and strength at most 3, for mingo's own `$sort`. */
  readonly intlSpec: Document;

  private constructor(spec: CollationSpec, intl: string) {
    this.spec = spec;
    this.intlSpec = { ...spec, locale: intl, strength: Math.min(spec.strength, 3) };
    this.key = JSON.stringify(spec);
    this.collator = new Intl.Collator(intl, {
      usage: 'sort',
      sensitivity: sensitivity(spec.strength, spec.caseLevel),
      caseFirst: spec.caseFirst === 'off' ? 'false' : spec.caseFirst,
      numeric: spec.numericOrdering,
      ignorePunctuation: spec.alternate === 'shifted',
    });
  }

  /**
   * The collation a command's `collation` field asks for: undefined for none, `{}` or `{locale: "simple"}`
   * (binary comparison); MongoDB's errors for a bad one.
   */
  static parse(raw: unknown): Collation | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw MongoCommandError.typeMismatch(
        `BSON field 'collation' is the wrong type '${bsonTypeName(raw)}', expected type 'object'`,
      );
    }
    const doc = raw as Document;
    const fields = Object.keys(doc);
    if (fields.length === 0) return undefined;
    for (const field of fields) {
      if (!(field in FIELD_TYPES)) {
        throw new MongoCommandError(UNKNOWN_FIELD, `BSON field 'collation.${field}' is an unknown field.`);
      }
    }
    const locale = fieldValue(doc, 'locale') as string | undefined;
    if (locale === undefined)
      throw new MongoCommandError(ErrorCode.FailedToParse, 'Missing expected field "locale"');
    const strength = fieldValue(doc, 'strength') as number | undefined;
    if (strength !== undefined && (!Number.isInteger(strength) || strength < 1 || strength > 5)) {
      throw MongoCommandError.badValue(
        `BSON field 'collation.strength' value must be >= 1 and <= 5, actual value '${strength}'`,
      );
    }
    const spec: CollationSpec = {
      locale,
      caseLevel: (fieldValue(doc, 'caseLevel') as boolean | undefined) ?? false,
      caseFirst: (fieldValue(doc, 'caseFirst') as CollationSpec['caseFirst'] | undefined) ?? 'off',
      strength: strength ?? 3,
      numericOrdering: (fieldValue(doc, 'numericOrdering') as boolean | undefined) ?? false,
      alternate: (fieldValue(doc, 'alternate') as CollationSpec['alternate'] | undefined) ?? 'non-ignorable',
      maxVariable: (fieldValue(doc, 'maxVariable') as CollationSpec['maxVariable'] | undefined) ?? 'punct',
      normalization: (fieldValue(doc, 'normalization') as boolean | undefined) ?? false,
      backwards: (fieldValue(doc, 'backwards') as boolean | undefined) ?? false,
      version: ICU_VERSION,
    };
    const version = fieldValue(doc, 'version');
    if (version !== undefined && version !== ICU_VERSION) {
      throw MongoCommandError.badValue(
        `unable to parse collation :: caused by :: Field 'version' is invalid, must be ${ICU_VERSION}`,
      );
    }
    if (locale === 'simple') {
      if (fields.length > 1) {
        throw MongoCommandError.badValue(
          "If 'locale' is set to 'simple', no other fields may be set in the collation spec",
        );
      }
      return undefined;
    }
    const key = JSON.stringify(spec);
    const cached = Collation.#cache.get(key);
    if (cached) return cached;
    const intl = intlLocale(locale);
    if (!intl) throw MongoCommandError.badValue(`Field 'locale' is invalid in: { locale: "${locale}" }`);
    const collation = new Collation(spec, intl);
    Collation.#cache.set(key, collation);
    return collation;
  }

  /** The spec as mongod reports it. */
  toDocument(): Document {
    return { ...this.spec };
  }

  /** BSON order with strings (also inside arrays and documents) compared through the collator. */
  compare(a: unknown, b: unknown): number {
    if (typeof a === 'string' && typeof b === 'string') return this.collator.compare(a, b);
    const ta = typeClassOf(a);
    if (ta !== typeClassOf(b)) return compareValues(a, b);
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const c = this.compare(a[i], b[i]);
        if (c !== 0) return c;
      }
      return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    }
    if (isPlainDocument(a) && isPlainDocument(b)) {
      const ak = Object.keys(a);
      const bk = Object.keys(b);
      const n = Math.min(ak.length, bk.length);
      for (let i = 0; i < n; i++) {
        const byType = typeClassOf(a[ak[i]!]) - typeClassOf(b[bk[i]!]);
        if (byType !== 0) return byType < 0 ? -1 : 1;
        if (ak[i] !== bk[i]) return ak[i]! < bk[i]! ? -1 : 1;
        const c = this.compare(a[ak[i]!], b[bk[i]!]);
        if (c !== 0) return c;
      }
      return ak.length === bk.length ? 0 : ak.length < bk.length ? -1 : 1;
    }
    return compareValues(a, b);
  }
}

function isPlainDocument(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as { _bsontype?: unknown })._bsontype === undefined &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !(value instanceof Uint8Array)
  );
}

/** Compares with a collation, or in plain BSON order without one. */
export function comparatorOf(collation: Collation | undefined): (a: unknown, b: unknown) => number {
  return collation ? (a, b) => collation.compare(a, b) : compareValues;
}
