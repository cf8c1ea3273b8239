import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/seededRandom.js';
import { DocumentSlabs } from './DocumentSlabs.js';

const random = seededRandom(11);
/** Bytes that say which key and version they were written for. */
const bytesOf = (key: string, version: number, length: number) => {
  const bytes = Buffer.alloc(length, (key.length * 31 + version) & 0xff);
  bytes.write(`${key}:${version}`, 0, 'latin1');
  return bytes;
};

describe('DocumentSlabs', () => {
  it('holds what a Map holds, in the same order, through inserts, replacements and deletes that reclaim slabs', () => {
    const slabs = new DocumentSlabs();
    const reference = new Map<string, Buffer>();
    // Views taken along the way must keep their bytes, whatever is moved or dropped later.
    const taken: Array<[Buffer, Buffer]> = [];
    let version = 0;
    for (let step = 0; step < 60_000; step++) {
      const key = `k${random(5000)}`;
      const r = random(10);
      if (r < 7) {
        // Mostly ~1 KB, now and then larger than a slab's share (a buffer of its own).
        const length = random(100) === 0 ? 600_000 + random(1000) : 200 + random(1800);
        const bytes = bytesOf(key, ++version, length);
        slabs.set(key, bytes);
        reference.set(key, bytes);
      } else {
        expect(slabs.delete(key)).toBe(reference.delete(key));
      }
      if (step % 997 === 0 && reference.size > 0) {
        const [someKey] = reference.keys();
        taken.push([slabs.get(someKey!)!, Buffer.from(reference.get(someKey!)!)]);
      }
    }
    expect(slabs.size).toBe(reference.size);
    expect([...slabs.keys()]).toEqual([...reference.keys()]);
    for (const [key, raw] of slabs) expect(raw.equals(reference.get(key)!)).toBe(true);
    for (const [view, copy] of taken) expect(view.equals(copy)).toBe(true);
    let live = 0;
    for (const raw of reference.values()) live += raw.length;
    expect(slabs.liveBytes).toBe(live);
  });

  it('moves the documents out of slabs that are mostly dead, and drops those slabs (60 MB written, 6 MB live)', () => {
    const slabs = new DocumentSlabs();
    for (let i = 0; i < 60_000; i++) slabs.set(`k${i}`, bytesOf(`k${i}`, 0, 1000));
    const before = slabs.get('k10')!;
    // Nine in ten die: every slab keeps a tenth of its documents, so none is dropped whole.
    for (let i = 0; i < 60_000; i++) if (i % 10 !== 0) slabs.delete(`k${i}`);
    expect(slabs.liveBytes).toBe(6_000_000);
    // Reclaiming waits for 32 MiB of dead bytes, so up to that much (and the slab being filled) may remain.
    expect(slabs.slabBytes).toBeLessThan(6_000_000 + 32 * 1024 * 1024);
    expect(before.equals(bytesOf('k10', 0, 1000))).toBe(true);
    expect(slabs.get('k10')!.equals(bytesOf('k10', 0, 1000))).toBe(true);
    expect([...slabs.keys()]).toEqual(Array.from({ length: 6000 }, (_, i) => `k${i * 10}`));
  });

  it('iterates live, as a Map does: a document added meanwhile is met, one deleted before its turn is not', () => {
    const slabs = new DocumentSlabs();
    for (const key of ['a', 'b', 'c']) slabs.set(key, bytesOf(key, 0, 10));
    const met: string[] = [];
    for (const [key] of slabs) {
      met.push(key);
      if (key === 'a') {
        slabs.delete('b');
        slabs.set('d', bytesOf('d', 0, 10));
      }
    }
    expect(met).toEqual(['a', 'c', 'd']);
  });

  it('keeps a replaced document in its place in the order', () => {
    const slabs = new DocumentSlabs();
    for (const key of ['a', 'b', 'c']) slabs.set(key, bytesOf(key, 0, 10));
    slabs.set('a', bytesOf('a', 1, 30));
    expect([...slabs.keys()]).toEqual(['a', 'b', 'c']);
    expect(slabs.get('a')!.equals(bytesOf('a', 1, 30))).toBe(true);
    expect(slabs.liveBytes).toBe(50);
  });

  it('iterates as a Map does while documents are added, replaced and deleted, over places squeezed meanwhile', () => {
    const slabs = new DocumentSlabs();
    const reference = new Map<string, Buffer>();
    const set = (key: string, version: number) => {
      const bytes = bytesOf(key, version, 20 + random(50));
      slabs.set(key, bytes);
      reference.set(key, bytes);
    };
    for (let i = 0; i < 5000; i++) set(`k${i}`, 0);
    const ours = slabs.keys();
    const theirs = reference.keys();
    let version = 0;
    for (let step = 0; ; step++) {
      const mine = ours.next();
      const expected = theirs.next();
      expect(mine.value).toBe(expected.value);
      if (expected.done) break;
      // Now and then most documents go at once, before and after the place reached: the holes are squeezed out.
      const changes = step % 700 === 100 ? 3000 : 2;
      for (let change = 0; change < changes; change++) {
        const key = `k${random(6000)}`;
        if (random(5) === 0) set(key, ++version);
        else {
          slabs.delete(key);
          reference.delete(key);
        }
      }
      if (changes > 2 && step < 2000) for (let i = 0; i < 2000; i++) set(`n${step}:${i}`, 0);
    }
    expect([...slabs.keys()]).toEqual([...reference.keys()]);
  });

  it('keeps keys of any characters: Arabic, astral, lone surrogates, NUL', () => {
    const slabs = new DocumentSlabs();
    const keys = ['s', 's\u0000', 'sمريض', 's\u{1F600}', 's\ud800', 's\udc00x', 'sÿ', `o${'ab'.repeat(12)}`];
    for (const [i, key] of keys.entries()) slabs.set(key, bytesOf(key, i, 16));
    expect([...slabs.keys()]).toEqual(keys);
    for (const [i, key] of keys.entries()) expect(slabs.get(key)!.equals(bytesOf(key, i, 16))).toBe(true);
    // Keys that differ only past Latin-1, or in how they would be encoded, stay apart.
    expect(slabs.has('s\ud801')).toBe(false);
    expect(slabs.has('s\u00ff')).toBe(true);
    expect(slabs.has('s\u0000\u0000')).toBe(false);
    expect(slabs.delete('s\ud800')).toBe(true);
    expect([...slabs.keys()]).toEqual(keys.filter((key) => key !== 's\ud800'));
  });
});
