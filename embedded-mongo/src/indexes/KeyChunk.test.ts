import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/seededRandom.js';
import { KeyChunk } from './KeyChunk.js';

const entries = (chunk: KeyChunk) => Array.from({ length: chunk.length }, (_, i) => chunk.at(i));

describe('KeyChunk', () => {
  it('matches a sorted array through random inserts, removals and splits', () => {
    const random = seededRandom(7);
    // Keys of different lengths, with one- and two-byte characters.
    const keyOf = (n: number) =>
      `${String.fromCharCode(0x30 + (n % 5), n % 3 === 0 ? 0x627 : 0x61)}${n}`.repeat(1 + (n % 4));
    let chunk = new KeyChunk([]);
    let reference: string[] = [];
    for (let step = 0; step < 4000; step++) {
      const r = random(10);
      if (r < 6 || reference.length === 0) {
        const key = keyOf(random(100_000));
        const at = chunk.lowerBound(key);
        if (chunk.at(at) === key) continue;
        chunk.insertAt(at, key);
        reference.splice(at, 0, key);
      } else if (r < 9) {
        const at = random(reference.length);
        chunk.removeAt(at);
        reference.splice(at, 1);
      } else if (reference.length > 1) {
        const upper = chunk.split();
        const half = reference.length >> 1;
        expect(entries(upper)).toEqual(reference.slice(half));
        reference = reference.slice(0, half);
        if (random(2) === 0) [chunk, reference] = [upper, entries(upper)];
      }
      expect(chunk.length).toBe(reference.length);
      if (reference.length > 0) expect(chunk.last).toBe(reference[reference.length - 1]);
    }
    expect(entries(chunk)).toEqual(reference);
    expect(reference.length).toBeGreaterThan(50);
  });

  it('appends past the last key and finds bounds', () => {
    const chunk = new KeyChunk(['b1', 'b3']);
    chunk.insertAt(2, 'b5');
    chunk.insertAt(0, 'a9');
    expect(entries(chunk)).toEqual(['a9', 'b1', 'b3', 'b5']);
    expect(chunk.last).toBe('b5');
    expect(chunk.lowerBound('b2')).toBe(2);
    expect(chunk.lowerBound('c')).toBe(4);
    expect(chunk.partition((entry) => entry < 'b3')).toBe(2);
  });

  it('keeps every UTF-16 code unit when a one-byte chunk takes a wider key, and grows past its room', () => {
    const chunk = new KeyChunk(['a\u0000', 'b\u00ff']);
    chunk.insertAt(2, 'c\u0645\ud800');
    chunk.insertAt(0, '\u0000\udfff');
    const long = `b${'\u00e9'.repeat(500)}`;
    chunk.insertAt(chunk.lowerBound(long), long);
    expect(entries(chunk)).toEqual(['\u0000\udfff', 'a\u0000', long, 'b\u00ff', 'c\u0645\ud800']);
    expect(chunk.compareAt(4, 'c\u0645\ud800')).toBe(0);
    expect(Math.sign(chunk.compareAt(4, 'c\u0645'))).toBe(1);
    expect(Math.sign(chunk.compareAt(1, 'a\u0000\u0000'))).toBe(-1);
    chunk.removeAt(2);
    expect(entries(chunk)).toEqual(['\u0000\udfff', 'a\u0000', 'b\u00ff', 'c\u0645\ud800']);
  });
});

describe('KeyChunk.lowerBound', () => {
  it('finds the first entry >= a key among entries sharing long prefixes, and among prefixes of the key', () => {
    const random = seededRandom(11);
    // A patient index's chunk: one long shared prefix, then a few differing characters, some of them two-byte.
    const shared = `\u0007${'\u0012\u0034'.repeat(12)}`;
    const keyOf = () =>
      shared.slice(0, shared.length - random(4)) +
      Array.from({ length: random(5) }, () =>
        String.fromCharCode(random(3) === 0 ? 0x600 + random(3) : 0x30 + random(3)),
      ).join('');
    for (let round = 0; round < 200; round++) {
      const sorted = [...new Set(Array.from({ length: 1 + random(40) }, keyOf))].sort();
      const chunk = new KeyChunk(sorted);
      for (let probe = 0; probe < 20; probe++) {
        const key = random(3) === 0 ? sorted[random(sorted.length)]! : keyOf();
        const expected = sorted.findIndex((entry) => entry >= key);
        expect(chunk.lowerBound(key)).toBe(expected < 0 ? sorted.length : expected);
      }
    }
  });
});
