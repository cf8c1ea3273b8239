import { BSON, type Document, ObjectId } from 'bson';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { serialize } from '../bson/serialize.js';
import { StoredDocument } from '../storage/StoredDocument.js';
import { FindProjection } from './FindProjection.js';

const docs: Document[] = [
  {
    _id: new ObjectId(),
    mrn: 'M-1',
    name: { ar: 'محمد علي', latin: 'Mohamed Ali' },
    searchTerms: ['mo', 'moh'],
    phone: null,
    birthDate: new Date('1990-01-02'),
    nested: { a: [1, { b: 2 }] },
  },
  { _id: 'string id', name: 'only a name' },
  { _id: 7, other: true },
];

const specs: Document[] = [
  { mrn: 1, name: 1 },
  { name: true, phone: 1, missing: 1 },
  { mrn: 1, _id: 0 },
  { _id: 1 },
  { _id: 0 },
  { searchTerms: 0 },
  { searchTerms: 0, nested: false, _id: 0 },
  { name: 5 },
  // Not field selections: these stay with mingo.
  { 'name.ar': 1 },
  { searchTerms: { $slice: 1 } },
  { nested: { $elemMatch: { b: 2 } } },
];

function mingoProjection(spec: Document, doc: Document): Document {
  return new Query({}).find([doc], spec).all()[0] ?? {};
}

describe('FindProjection', () => {
  // Field order is MongoDB's, the stored order (mingo moves `_id` last); the values are mingo's.
  const inStoredOrder = (doc: Document, expected: Document) =>
    Object.keys(doc).filter((key) => key in expected);
  const selectsFields = (spec: Document) =>
    Object.entries(spec).every(([k, v]) => !k.includes('.') && typeof v !== 'object');

  it('gives the fields and values mingo gives, for documents and stored bytes', () => {
    for (const spec of specs) {
      const projection = FindProjection.compile(spec, {});
      expect(projection).toBeDefined();
      for (const doc of docs) {
        const expected = mingoProjection(spec, doc);
        const fromDocument = projection!.apply(doc);
        expect(fromDocument, JSON.stringify(spec)).toEqual(expected);
        if (selectsFields(spec)) expect(Object.keys(fromDocument)).toEqual(inStoredOrder(doc, expected));
        const stored = new StoredDocument('key', serialize(doc));
        const fromBytes = BSON.deserialize(projection!.applyStored(stored));
        expect(fromBytes, JSON.stringify(spec)).toEqual(BSON.deserialize(serialize(expected)));
        if (selectsFields(spec)) expect(Object.keys(fromBytes)).toEqual(inStoredOrder(doc, expected));
      }
    }
  });

  it('rejects a projection mixing inclusion and exclusion, as MongoDB does', () => {
    expect(() => FindProjection.compile({ a: 1, b: 0 }, {})).toThrow();
  });

  it('has nothing to do for an empty projection', () => {
    expect(FindProjection.compile({}, {})).toBeUndefined();
    expect(FindProjection.compile(undefined, {})).toBeUndefined();
  });
});
