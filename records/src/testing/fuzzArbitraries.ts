import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * fast-check arbitraries for hostile HTTP requests: JSON written as text (so that a `__proto__` key is
 * sent as such, which `JSON.stringify` of a JavaScript object cannot do), operator objects, huge and deep
 * values, malformed ids and query strings, and bodies whose encoding lies.
 */

/** Keys an attacker tries: MongoDB operators, prototype keys, dotted paths. */
export const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '$gt',
  '$ne',
  '$where',
  '$set',
  '$regex',
  '$expr',
  '$function',
  'a.b',
  '$',
  '',
  'toString',
  'hasOwnProperty',
);

/** A JSON string literal, as text. */
const stringText = (s: string) => JSON.stringify(s);

const objectText = (pairs: [string, string][]) =>
  `{${pairs.map(([k, v]) => `${stringText(k)}:${v}`).join(',')}}`;

/** Values that have broken parsers and databases before. */
const nastyScalarText = fc.constantFrom(
  '1e308',
  '-1e308',
  '-0',
  '1e-400',
  '9007199254740993',
  '0.1',
  '-1',
  '""',
  '" "',
  '"\\u0000"',
  '"\\ud800"',
  '"null"',
  '"undefined"',
  '"NaN"',
  '"2024-02-30"',
  '"2024-01-01T00:00:00Z"',
  '"9999-12-31T23:59:59.999+14:00"',
  '"Africa/Cairo"',
  '"../../etc/passwd"',
  '"<script>alert(1)</script>"',
  '"ffffffffffffffffffffffff"',
  '"000000000000000000000000"',
  '"E11.9"',
);

const scalarText = fc.oneof(
  fc.constant('null'),
  fc.boolean().map(String),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.string({ maxLength: 40 }).map(stringText),
  fc.string({ unit: 'binary', maxLength: 20 }).map(stringText),
  nastyScalarText,
);

/** Big values, each well inside the 256 kB body limit or just over it. */
const hugeText = fc.oneof(
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => stringText('x'.repeat(n))),
  fc.integer({ min: 10, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 10, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.integer({ min: 100, max: 20_000 }).map((n) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`),
);

/** `{"$gt": ""}` and its kin: what arrives where a string was expected in a NoSQL injection. */
const operatorObjectText = fc
  .tuple(
    fc.constantFrom('$gt', '$ne', '$where', '$regex', '$in', '$exists', '$expr', '$set', '$function'),
    fc.constantFrom('""', 'null', '"sleep(100) || true"', '".*"', '[]', 'true', '{"$gt":""}'),
  )
  .map(([op, value]) => `{${stringText(op)}:${value}}`);

const fieldNames = fc.constantFrom(
  'username',
  'password',
  'name',
  'ar',
  'latin',
  'role',
  'organizationId',
  'clinicId',
  'patientId',
  'specialistId',
  'specialty',
  'version',
  'changes',
  'status',
  'text',
  'kind',
);

const keyOf = fc.oneof({ weight: 2, arbitrary: hostileKey }, fieldNames, fc.string({ maxLength: 12 }));

/** Any JSON value, as text, with hostile keys, operator objects and huge values mixed in. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: scalarText },
      { weight: 2, arbitrary: operatorObjectText },
      { weight: 1, arbitrary: hugeText },
      { weight: 2, arbitrary: tie('array') },
      { weight: 2, arbitrary: tie('object') },
    ),
    array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    object: fc.array(fc.tuple(keyOf, tie('value')), { maxLength: 5 }).map(objectText),
  }),
).value;

/**
 * A body shaped like `seed` (a valid body of the route) with some fields replaced by hostile values, some
 * dropped, and hostile keys added: mostly valid, so that the hostile part reaches the code behind the
 * validation of the rest.
 */
export function variantOf(seed: unknown): fc.Arbitrary<string> {
  const extraPairs = fc.oneof(
    { weight: 4, arbitrary: fc.constant<[string, string][]>([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(keyOf, jsonText), { minLength: 1, maxLength: 2 }) },
  );
  if (Array.isArray(seed)) {
    return fc
      .tuple(fc.tuple(...seed.map(variantOf)), extraPairs)
      .map(([items, extra]) => `[${[...items, ...extra.map(([, value]) => value)].join(',')}]`);
  }
  if (typeof seed === 'object' && seed !== null) {
    const entries = Object.entries(seed);
    // About one change per object: the rest stays valid, so the change is what the service must handle.
    const keep = 3 * entries.length;
    const field = (value: unknown) =>
      fc.oneof(
        { weight: keep, arbitrary: variantOf(value) },
        { weight: 1, arbitrary: jsonText },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
    return fc
      .tuple(fc.tuple(...entries.map(([, value]) => field(value))), extraPairs)
      .map(([values, extra]) =>
        objectText([
          ...entries.flatMap(([key], i): [string, string][] =>
            values[i] === undefined ? [] : [[key, values[i] as string]],
          ),
          ...extra,
        ]),
      );
  }
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(JSON.stringify(seed)) },
    { weight: 1, arbitrary: jsonText },
  );
}

/** The bytes sent and the headers that describe them, some of them lies. */
export interface EncodedBody {
  body: Buffer;
  headers: Record<string, string>;
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'application/json; charset',
  'application/json;;',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '*/*',
  'json',
  '',
);

/** `text` as a request body: usually plain JSON, sometimes compressed for real, sometimes falsely labelled. */
export function encodedBody(text: fc.Arbitrary<string>): fc.Arbitrary<EncodedBody> {
  const encodings = fc.constantFrom<[string, (b: Buffer) => Buffer]>(
    ['identity', (b) => b],
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['gzip', (b) => b],
    ['deflate', (b) => b],
    ['br', (b) => b],
    ['xyz', (b) => b],
    ['gzip, gzip', gzipSync],
    ['GZIP', gzipSync],
  );
  return fc
    .tuple(
      text,
      fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: contentTypes },
      ),
      fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: encodings }),
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      ),
    )
    .map(([json, contentType, encoding, garbage]) => {
      const plain = garbage ? Buffer.concat([Buffer.from(json), garbage]) : Buffer.from(json);
      const headers: Record<string, string> = {};
      if (contentType) headers['content-type'] = contentType;
      if (!encoding) return { body: plain, headers };
      headers['content-encoding'] = encoding[0];
      return { body: encoding[1](plain), headers };
    });
}

/**
 * Path parameters: real ids of the kind the route expects (of this tenant and another), real ids of other
 * kinds, and ids that are not ids at all.
 */
export function idArbitrary(expectedIds: string[], realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...(expectedIds.length > 0 ? expectedIds : realIds)) },
    { weight: 1, arbitrary: fc.constantFrom(...realIds) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '%zz',
        '%',
        '%C0%AF',
        '%ED%A0%80',
        '%00',
        '%24gt',
        '%7B%22%24gt%22%3A%22%22%7D',
        '__proto__',
        'constructor',
        '..',
        '%2e%2e',
        '%2F',
        '0',
        '-1',
        'null',
        'x'.repeat(2_000),
        'FFFFFFFFFFFFFFFFFFFFFFFF',
        '0123456789ab0123456789ab0',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
  );
}

const queryKeys = fc.constantFrom(
  'q',
  'page',
  'limit',
  'clinicId',
  'patientId',
  'specialistId',
  'actorId',
  'kind',
  'role',
  'specialty',
  'status',
  'date',
  'from',
  'to',
  'groupBy',
  'format',
  'outcome',
  'resourceType',
  '__proto__',
  'constructor',
  '$where',
);

const queryValues = fc.oneof(
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '10001',
    '1e9',
    'NaN',
    'cardiology',
    'clinic',
    'csv',
    '2024-01-01',
    '2024-01-01T00:00:00Z',
    '%zz',
    '%',
    '%24gt',
    '',
    'x'.repeat(3_000),
  ),
);

/**
 * A query string with repeated keys (`?a=1&a=2`), brackets (`a[]=1`, `a[b]=c`) and bad escapes, added to
 * `valid` (a query the route accepts, without `?`) or in its place.
 */
export function queryString(valid = ''): fc.Arbitrary<string> {
  return fc.tuple(fc.oneof(fc.constant(valid), fc.constant('')), hostileQuery).map(([base, hostile]) => {
    const query = [base, hostile].filter(Boolean).join('&');
    return query ? `?${query}` : '';
  });
}

const hostileQuery: fc.Arbitrary<string> = fc
  .array(fc.tuple(queryKeys, fc.constantFrom('', '[]', '[$gt]', '[__proto__]', '[0]'), queryValues), {
    maxLength: 5,
  })
  .chain((pairs) =>
    fc
      .constantFrom<(p: typeof pairs) => typeof pairs>(
        (p) => p,
        (p) => [...p, ...p],
      )
      .map((repeat) => repeat(pairs)),
  )
  .map((pairs) => pairs.map(([k, b, v]) => `${k}${b}=${v}`).join('&'));
