import { describe, expect, it } from 'vitest';
import { sortInSteps } from './sortInSteps.js';

function run(items: string[]): { sorted: string[]; pauses: number } {
  const steps = sortInSteps(items);
  let pauses = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { sorted: step.value, pauses };
    pauses++;
  }
}

describe('sortInSteps', () => {
  it('sorts as Array.prototype.sort does, with a pause point every few thousand entries', () => {
    // Shared prefixes, equal entries, characters past Latin-1: the order of index entries.
    const items = Array.from(
      { length: 50_000 },
      (_, i) => `\u0007${String.fromCharCode(0x100 + (i % 7))}${((i * 7919) % 1000).toString(36)}:${i % 3}`,
    );
    const { sorted, pauses } = run(items);
    expect(sorted).toEqual([...items].sort());
    expect(pauses).toBeGreaterThan(50_000 / 4096);
    // The input is left in its order.
    expect(items[0]).toBe(`\u0007${String.fromCharCode(0x100)}0:0`);
  });

  it('handles no entries and one', () => {
    expect(run([]).sorted).toEqual([]);
    expect(run(['a']).sorted).toEqual(['a']);
  });

  it('merges runs of any count, the last one short', () => {
    for (const length of [4095, 4096, 4097, 3 * 4096 + 1, 5 * 4096 + 77]) {
      const items = Array.from({ length }, (_, i) => ((i * 2654435761) % 1_000_003).toString(36));
      expect(run(items).sorted).toEqual([...items].sort());
    }
  });
});
