import { describe, expect, it } from 'vitest';
import { DocumentSlabs } from './DocumentSlabs.js';

let seed = 11;
const random = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
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
});
