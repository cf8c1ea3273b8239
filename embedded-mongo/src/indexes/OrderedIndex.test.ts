import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareValues } from '../bson/compareValues.js';
import { seededRandom } from '../testing/seededRandom.js';
import type { OrderedIndexOptions } from './IndexTypes.js';
import { comparePrefix, encodeKey, entryKey } from './KeyEncoding.js';
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

/** Entries of one-field numeric keys, as an index of `{n: 1}` stores them. */
const number = (n: number) => encodeKey([n], [1]);
const entryOf = (n: number, id: string) => entryKey(number(n), id);

/** Bulk-loads `entries` (in any order), as an index build does once they are sorted. */
function load(index: OrderedIndex, entries: string[]): void {
  for (const _ of index.loadSorted(entries.sort()));
}
/** Probe of the numbers lo..hi (inclusive), by their encodings. */
const between = (lo: number, hi: number) => (entry: string) => {
  if (comparePrefix(entry, number(lo)) < 0) return -1;
  return comparePrefix(entry, number(hi)) > 0 ? 1 : 0;
};

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

// The default node sizes, and tiny ones under which the same data spans many chunks and many groups of
// them: every split and merge of both levels is crossed.
describe.each([
  { nodes: 'default', options: {} },
  { nodes: 'tiny', options: { maxChunk: 4, maxGroup: 3 } },
] as { nodes: string; options: OrderedIndexOptions }[])('with $nodes node sizes', ({ options }) => {
  describe('OrderedIndex', () => {
    it('stays sorted through random inserts and removals across many chunks', () => {
      const index = new OrderedIndex(options);
      const reference = new Map<string, number>();
      const random = seededRandom(42);
      for (let i = 0; i < 20_000; i++) {
        const id = `d${random(5000)}`;
        const existing = reference.get(id);
        if (existing !== undefined) {
          expect(index.remove(entryOf(existing, id))).toBe(true);
          reference.delete(id);
        } else {
          const key = random(1000) - 500;
          index.insert(entryOf(key, id));
          reference.set(id, key);
        }
      }
      expect(index.size).toBe(reference.size);
      const all = [...index.all()];
      for (let i = 0; i + 1 < all.length; i++) {
        const [a, b] = [reference.get(all[i]!.id)!, reference.get(all[i + 1]!.id)!];
        expect(a < b || (a === b && all[i]!.id < all[i + 1]!.id)).toBe(true);
      }
      const in0s = [...index.scan(between(0, 9))];
      const expected = [...reference.values()].filter((k) => k >= 0 && k <= 9).length;
      expect(in0s).toHaveLength(expected);
      expect(index.remove(entryOf(123456, 'missing'))).toBe(false);
      // Every entry is found where the chunks' directory points: it kept up with each chunk's last key.
      for (const [id, key] of reference) {
        expect([...index.scan(between(key, key))].map((entry) => entry.id)).toContain(id);
      }
    });

    it('finds the newest of time-ordered keys, appended past the last chunk, and scans back from them', () => {
      const index = new OrderedIndex(options);
      for (let n = 0; n < 1000; n++) index.insert(entryOf(n, `d${n}`));
      expect([...index.scan(between(995, 1000))].map((entry) => entry.id)).toEqual([
        'd995',
        'd996',
        'd997',
        'd998',
        'd999',
      ]);
      expect(index.count(between(900, 999))).toBe(100);
      expect([...index.scanReverse(between(998, 999))].map((entry) => entry.id)).toEqual(['d999', 'd998']);
      // Removing the newest leaves the one before it the last.
      expect(index.remove(entryOf(999, 'd999'))).toBe(true);
      index.insert(entryOf(999, 'd999b'));
      expect([...index.scan(between(998, 999))].map((entry) => entry.id)).toEqual(['d998', 'd999b']);
    });

    it('loads sorted entries in place of what it held, consuming them', () => {
      const index = new OrderedIndex(options);
      index.insert(entryOf(-1, 'old'));
      for (const length of [0, 1, 192, 1000]) {
        const entries = Array.from({ length }, (_, i) => entryOf(i, `d${i}`));
        const given = [...entries];
        load(index, given);
        expect(given).toHaveLength(0);
        expect(index.size).toBe(length);
        expect([...index.all()].map((entry) => entry.key)).toEqual(entries);
        expect(index.count(between(0, length))).toBe(length);
      }
      index.insert(entryOf(5000, 'after'));
      expect([...index.scan(between(5000, 5000))].map((entry) => entry.id)).toEqual(['after']);
    });

    it('empties chunk by chunk and group by group, and fills again', () => {
      const index = new OrderedIndex(options);
      const random = seededRandom(9);
      const ids = Array.from({ length: 300 }, (_, i) => i);
      for (const n of ids) index.insert(entryOf(n, `d${n}`));
      for (let left = ids.length; left > 0; left--) {
        const [n] = ids.splice(random(left), 1) as [number];
        expect(index.remove(entryOf(n, `d${n}`))).toBe(true);
        expect(index.remove(entryOf(n, `d${n}`))).toBe(false);
        if (left % 50 === 1)
          expect([...index.all()].map((entry) => entry.id)).toEqual(ids.map((i) => `d${i}`));
      }
      expect(index.size).toBe(0);
      // No empty chunk is left behind.
      expect(index.freeze()).toHaveLength(0);
      expect([...index.all()]).toEqual([]);
      expect(index.count(between(0, 300))).toBe(0);
      expect([...index.scanReverse(between(0, 300))]).toEqual([]);
      index.insert(entryOf(7, 'again'));
      expect([...index.scan(between(0, 300))].map((entry) => entry.id)).toEqual(['again']);
    });

    it('honours descending directions in compound keys', () => {
      const index = new OrderedIndex(options);
      for (const [a, b] of [
        [1, 1],
        [1, 3],
        [0, 2],
        [1, 2],
      ] as const) {
        const id = `${a}-${b}`;
        index.insert(entryKey(encodeKey([a, b], [1, -1]), id));
      }
      expect([...index.all()].map((e) => e.id)).toEqual(['0-2', '1-3', '1-2', '1-1']);
    });
  });

  describe('OrderedIndex.scanReverse and count', () => {
    it('agree with scan for regions inside, across and outside chunks', () => {
      const index = new OrderedIndex(options);
      const entries = Array.from({ length: 5000 }, (_, i) => entryOf(i % 700, `k${i}`));
      load(index, [...entries]);
      for (const [lo, hi] of [
        [0, 699],
        [10, 10],
        [100, 450],
        [698, 2000],
        [-5, -1],
        [800, 900],
      ] as const) {
        const forward = [...index.scan(between(lo, hi))].map((e) => e.id);
        expect(forward).toHaveLength(entries.filter((_, i) => i % 700 >= lo && i % 700 <= hi).length);
        expect(index.count(between(lo, hi))).toBe(forward.length);
        expect([...index.scanReverse(between(lo, hi))].map((e) => e.id)).toEqual(forward.reverse());
      }
    });
  });

  describe('OrderedIndex scans paused across changes', () => {
    it('yield every entry present throughout exactly once, forwards and backwards', () => {
      for (const reverse of [false, true]) {
        const index = new OrderedIndex(options);
        load(
          index,
          Array.from({ length: 3000 }, (_, i) => entryOf(i, `k${i}`)),
        );
        const scan = reverse ? index.scanReverse(between(0, 9999)) : index.scan(between(0, 9999));
        const seen: number[] = [];
        let extra = 0;
        for (const entry of scan) {
          const n = Number(entry.id.slice(1));
          if (entry.id.startsWith('k')) seen.push(n);
          // Around the cursor: remove a neighbour behind it and one ahead, insert new ones both sides.
          if (n % 7 === 0) {
            index.remove(entryOf(n + 1, `k${n + 1}`));
            index.remove(entryOf(n - 1, `k${n - 1}`));
            index.insert(entryOf(n + 0.5, `x${extra++}`));
            index.insert(entryOf(n - 0.5, `x${extra++}`));
          }
        }
        const survivors = seen;
        expect(new Set(survivors).size).toBe(survivors.length);
        const removed = new Set(
          Array.from({ length: 3000 }, (_, i) => i)
            .filter((i) => i % 7 === 0)
            .flatMap((i) => [i - 1, i + 1]),
        );
        const yielded = new Set(survivors);
        const missing = Array.from({ length: 3000 }, (_, i) => i).filter(
          (i) => !removed.has(i) && !yielded.has(i),
        );
        expect(missing).toEqual([]);
        expect(survivors).toEqual([...survivors].sort((a, b) => (reverse ? b - a : a - b)));
      }
    });
  });

  describe('OrderedIndex scans started after a change', () => {
    it('see the index as it is when the first entry is asked for', () => {
      const index = new OrderedIndex(options);
      load(
        index,
        Array.from({ length: 500 }, (_, i) => entryOf(i * 2, `k${i * 2}`)),
      );
      const scan = index.scan(between(100, 199));
      const from = index.scanFrom(between(0, 999), entryOf(100, ''));
      // Before either scan starts: odd numbers arrive and the region's first entries go.
      for (let n = 1; n < 1000; n += 2) index.insert(entryOf(n, `k${n}`));
      for (let n = 100; n < 110; n++) index.remove(entryOf(n, `k${n}`));
      const expected = Array.from({ length: 90 }, (_, i) => `k${110 + i}`);
      expect([...scan].map((e) => e.id)).toEqual(expected);
      expect([...from].map((e) => e.id).slice(0, 90)).toEqual(expected);
    });
  });
});
