import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { CollectionIndex } from './CollectionIndex.js';

describe('index key values', () => {
  it('are shared between entries when equal and immutable, and still found by lookups', () => {
    const index = new CollectionIndex({ name: 'terms', key: { searchTerms: 1, clinicId: 1 } });
    const clinic = '65a1b2c3d4e5f60718293a4c';
    // Each document decodes its own copies, as the store does.
    for (let i = 0; i < 3; i++) {
      const doc = { searchTerms: [`mo${''}`, 'moh'], clinicId: new ObjectId(clinic), at: new Date(1000) };
      index.add(`doc${i}`, index.keysFor(doc));
    }
    const entries = [...index.tree.all()];
    expect(entries).toHaveLength(6);
    const clinics = new Set(entries.map((entry) => entry.key[1]));
    expect(clinics.size).toBe(1);
    const found = [...index.tree.scan(index.equalityProbe(['moh', new ObjectId(clinic)]))].map((e) => e.id);
    expect(found).toEqual(['doc0', 'doc1', 'doc2']);
  });

  it('are not shared when mutable (dates)', () => {
    const index = new CollectionIndex({ name: 'at', key: { at: 1 } });
    index.add('a', index.keysFor({ at: new Date(5) }));
    index.add('b', index.keysFor({ at: new Date(5) }));
    const [first, second] = [...index.tree.all()];
    expect(first!.key[0]).not.toBe(second!.key[0]);
    expect(first!.key[0]).toEqual(second!.key[0]);
  });
});
