import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/seededRandom.js';
import { hashKey, SlotHashTable } from './SlotHashTable.js';

describe('SlotHashTable', () => {
  it('finds what a Map finds through adds and removes, with hashes that collide by the hundred', () => {
    const random = seededRandom(7);
    const keyOfSlot: Array<string | undefined> = [];
    const table = new SlotHashTable((slot, key) => keyOfSlot[slot] === key);
    const reference = new Map<string, number>();
    // Few distinct hashes: long runs that wrap around the table's end, where backward shifts go wrong first.
    const hashOf = (key: string) => hashKey(key) & 0x800001ff;
    const freeSlots: number[] = [];
    for (let step = 0; step < 100_000; step++) {
      const key = `k${random(3000)}`;
      if (random(3) > 0 && !reference.has(key)) {
        const slot = freeSlots.pop() ?? keyOfSlot.length;
        keyOfSlot[slot] = key;
        table.add(hashOf(key), slot);
        reference.set(key, slot);
      } else {
        const slot = table.remove(key, hashOf(key));
        expect(slot).toBe(reference.get(key) ?? -1);
        if (slot >= 0) {
          reference.delete(key);
          keyOfSlot[slot] = undefined;
          freeSlots.push(slot);
        }
      }
      if (step % 5000 === 0) {
        for (let k = 0; k < 3000; k++) {
          const probe = `k${k}`;
          expect(table.find(probe, hashOf(probe))).toBe(reference.get(probe) ?? -1);
        }
      }
    }
    expect(table.size).toBe(reference.size);
  });
});
