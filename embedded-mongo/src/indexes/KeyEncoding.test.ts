import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareValues, typeClassOf } from '../bson/compareValues.js';
import { CollectionIndex, type KeyRange } from './CollectionIndex.js';
import { comparePrefix, encodeKey, entryId, entryKey } from './KeyEncoding.js';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Values of every type an index meets, with the edge cases of each encoding. */
function sampleValues(): unknown[] {
  const strings = [
    '',
    'a',
    'ab',
    'abc',
    'b',
    'a\u0000',
    'a\u0000b',
    'a\u0001',
    'a\u0002',
    '\u0000',
    '\u0001',
  ];
  strings.push('\ufffd', '\ufffe', '\uffff', 'a\uffff', 'محمد', 'محمود', 'z\ud83d\ude00', 'Ahmed', 'ahmed');
  const numbers: unknown[] = [0, -0, 1, -1, 1.5, -1.5, 2 ** 53, -(2 ** 53), 1e-300, -1e-300, 1e300];
  numbers.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE);
  numbers.push(new Int32(7), new Double(7), Long.fromNumber(7), Long.fromNumber(-3), new Decimal128('2.5'));
  numbers.push(3n);
  const dates = [new Date(0), new Date(-1), new Date(1), new Date(1_700_000_000_000), new Date(-8.64e15)];
  const ids = ['000000000000000000000000', '000000000000000000000001', '0000000000000000000000ff'];
  ids.push('65a1b2c3d4e5f60718293a4c', 'ffffffffffffffffffffffff', '0100000000000000000000ff');
  const objects: unknown[] = [
    {},
    { a: 1 },
    { a: 2 },
    { a: 1, b: 1 },
    { b: 1 },
    { a: 'x' },
    { a: { b: [1, 2] } },
  ];
  objects.push({ ar: 'محمد', latin: 'Mohamed' }, { ar: 'محمد', latin: 'Mohamed Ali' });
  const arrays: unknown[] = [[], [1], [1, 2], [2], ['a'], [[1]], [null]];
  return [
    null,
    undefined,
    new MinKey(),
    new MaxKey(),
    true,
    false,
    ...strings,
    ...numbers,
    ...dates,
    ...ids.map((hex) => new ObjectId(hex)),
    ...objects,
    ...arrays,
    new Binary(Buffer.from([1, 2])),
    new Binary(Buffer.from([1, 3])),
    new Binary(Buffer.from([0, 0, 0])),
    Buffer.from([9]),
    new Timestamp({ t: 1, i: 2 }),
    new Timestamp({ t: 1, i: 3 }),
    new Timestamp({ t: 4_000_000_000, i: 0 }),
    /ab/i,
  ];
}

describe('index key encoding', () => {
  const values = sampleValues();

  it('orders every pair of values as compareValues does, ascending and descending', () => {
    for (const a of values) {
      for (const b of values) {
        const expected = compareValues(a, b);
        const up = compareText(encodeKey([a], [1]), encodeKey([b], [1]));
        const down = compareText(encodeKey([a], [-1]), encodeKey([b], [-1]));
        if (sign(up) !== expected || sign(down) !== -expected) {
          throw new Error(`${String(a)} vs ${String(b)}: compareValues ${expected}, encoded ${up} / ${down}`);
        }
      }
    }
  });

  it('orders compound keys field by field, then by document key', () => {
    const pairs = values.slice(0, 40).flatMap((a, i) => [
      { key: [a, values[(i * 7) % values.length]], id: `o${i % 5}` },
      { key: [a, values[(i * 11) % values.length]], id: `s${i}\u0000x` },
    ]);
    const directions = [1, -1];
    const byValues = (x: (typeof pairs)[0], y: (typeof pairs)[0]) =>
      compareValues(x.key[0], y.key[0]) ||
      -compareValues(x.key[1], y.key[1]) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    const byEncoding = (x: (typeof pairs)[0], y: (typeof pairs)[0]) =>
      compareText(entryKey(encodeKey(x.key, directions), x.id), entryKey(encodeKey(y.key, directions), y.id));
    for (const x of pairs) for (const y of pairs) expect(sign(byEncoding(x, y))).toBe(sign(byValues(x, y)));
  });

  it('gives back the document key of an entry, whatever its characters and length', () => {
    const key = encodeKey(['محمد', new Date(5)], [1, -1]);
    for (const id of [
      'o65a1b2c3d4e5f60718293a4c',
      's',
      's\u0000\u0001\ufffe\uffffx\u0002',
      `s${'é'.repeat(70_000)}`,
    ]) {
      expect(entryId(entryKey(key, id))).toBe(id);
    }
  });

  it('makes "the leading fields equal" a prefix test', () => {
    const prefix = encodeKey(['moh'], [1]);
    expect(comparePrefix(entryKey(encodeKey(['moh', 3], [1, 1]), 'x'), prefix)).toBe(0);
    expect(comparePrefix(entryKey(encodeKey(['mohamed', 3], [1, 1]), 'x'), prefix)).toBe(1);
    expect(comparePrefix(entryKey(encodeKey(['mo', 3], [1, 1]), 'x'), prefix)).toBe(-1);
  });

  it('keeps the common keys flat and one byte per character', () => {
    // Not observable from JavaScript without natives; the length is: 1 + 12 ObjectId bytes, 1 + 8 date bytes.
    const key = encodeKey([new ObjectId(), new Date()], [1, -1]);
    expect(key).toHaveLength(22);
    expect([...key].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
  });
});

describe('range probes', () => {
  it('find exactly the values in range, within the bound type, in both directions', () => {
    // Arrays left out: they make the index multikey, where only one bound narrows.
    const values = sampleValues().filter((v) => !Array.isArray(v));
    for (const direction of [1, -1]) {
      const index = new CollectionIndex({ name: 'v', key: { v: direction } });
      values.forEach((v, i) => {
        index.add(`d${i}`, index.keysFor({ v }));
      });
      const cases: KeyRange[] = [
        { lo: 0, loInclusive: true, hi: 2 ** 53, hiInclusive: false },
        { lo: -1, loInclusive: false, hiInclusive: true },
        { hi: 'b', hiInclusive: true, loInclusive: true },
        { lo: 'a', loInclusive: false, hi: 'b', hiInclusive: false },
        { lo: new Date(0), loInclusive: true, hiInclusive: true },
        // A bound of another type than the first is ignored, as MongoDB brackets by type.
        { lo: 5, loInclusive: true, hi: 'z', hiInclusive: true },
      ];
      for (const range of cases) {
        const bracket = typeClassOf(range.lo !== undefined ? range.lo : range.hi);
        const expected = values
          .map((v, i) => ({ v, id: `d${i}` }))
          .filter(({ v }) => {
            if (typeClassOf(v) !== bracket) return false;
            if (range.lo !== undefined) {
              const c = compareValues(v, range.lo);
              if (c < 0 || (c === 0 && !range.loInclusive)) return false;
            }
            if (range.hi !== undefined && typeClassOf(range.hi) === bracket) {
              const c = compareValues(v, range.hi);
              if (c > 0 || (c === 0 && !range.hiInclusive)) return false;
            }
            return true;
          })
          .map(({ id }) => id)
          .sort();
        expect(expected.length).toBeGreaterThan(0);
        const found = [...index.tree.scan(index.rangeProbe([], range))].map((e) => e.id).sort();
        expect(found, `${String(range.lo)}..${String(range.hi)} direction ${direction}`).toEqual(expected);
      }
    }
  });
});
