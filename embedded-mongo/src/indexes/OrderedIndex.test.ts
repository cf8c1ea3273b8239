import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareValues } from '../bson/compareValues.js';
import { OrderedIndex } from './OrderedIndex.js';

describe('compareValues', () => {
  it('orders BSON types as MongoDB does', () => {
    const ordered = [
      null,
      -1,
      2.5,
      'a',
      'b',
      { a: 1 },
      [1],
      new ObjectId('000000000000000000000001'),
      false,
      true,
      new Date(0),
    ];
    for (let i = 0; i + 1 < ordered.length; i++) expect(compareValues(ordered[i], ordered[i + 1])).toBe(-1);
    expect(compareValues(undefined, null)).toBe(0);
    expect(compareValues(1, 1.0)).toBe(0);
  });
});

describe('OrderedIndex', () => {
  it('stays sorted through random inserts and removals across many chunks', () => {
    const index = new OrderedIndex([1]);
    const reference = new Map<string, number>();
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 20_000; i++) {
      const id = `d${random() % 5000}`;
      const existing = reference.get(id);
      if (existing !== undefined) {
        expect(index.remove({ key: [existing], id })).toBe(true);
        reference.delete(id);
      } else {
        const key = random() % 1000;
        index.insert({ key: [key], id });
        reference.set(id, key);
      }
    }
    expect(index.size).toBe(reference.size);
    const all = [...index.all()];
    for (let i = 0; i + 1 < all.length; i++)
      expect(compareValues(all[i]!.key[0], all[i + 1]!.key[0])).toBeLessThanOrEqual(0);
    const in500s = [
      ...index.scan((key) => ((key[0] as number) < 500 ? -1 : (key[0] as number) >= 510 ? 1 : 0)),
    ];
    const expected = [...reference.values()].filter((k) => k >= 500 && k < 510).length;
    expect(in500s).toHaveLength(expected);
    expect(index.remove({ key: [123456], id: 'missing' })).toBe(false);
  });

  it('honours descending directions in compound keys', () => {
    const index = new OrderedIndex([1, -1]);
    for (const [a, b] of [
      [1, 1],
      [1, 3],
      [0, 2],
      [1, 2],
    ] as const) {
      index.insert({ key: [a, b], id: `${a}-${b}` });
    }
    expect([...index.all()].map((e) => e.id)).toEqual(['0-2', '1-3', '1-2', '1-1']);
  });
});

describe('OrderedIndex.scanReverse and count', () => {
  it('agree with scan for regions inside, across and outside chunks', () => {
    const index = new OrderedIndex([1]);
    const entries = Array.from({ length: 5000 }, (_, i) => ({ key: [i % 700], id: `k${i}` }));
    index.load(entries);
    const between = (lo: number, hi: number) => (key: unknown[]) => {
      const v = key[0] as number;
      return v < lo ? -1 : v > hi ? 1 : 0;
    };
    for (const [lo, hi] of [
      [0, 699],
      [10, 10],
      [100, 450],
      [698, 2000],
      [-5, -1],
      [800, 900],
    ] as const) {
      const forward = [...index.scan(between(lo, hi))].map((e) => e.id);
      expect(index.count(between(lo, hi))).toBe(forward.length);
      expect([...index.scanReverse(between(lo, hi))].map((e) => e.id)).toEqual(forward.reverse());
    }
  });
});

describe('compareValues on ObjectIds', () => {
  it('orders them as their bytes', () => {
    const ids = Array.from({ length: 200 }, (_, i) =>
      ObjectId.createFromTime(1_700_000_000 + ((i * 7919) % 200) - (i % 3) * 100_000),
    );
    const byHex = [...ids].sort((a, b) => (a.toHexString() < b.toHexString() ? -1 : 1));
    expect([...ids].sort(compareValues).map(String)).toEqual(byHex.map(String));
    expect(compareValues(new ObjectId(ids[5]!.toHexString()), ids[5])).toBe(0);
  });
});
