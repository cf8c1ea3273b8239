import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { batchDocuments, encodeRecord, RecordType } from './recordFile.js';

describe('snapshot blocks of documents', () => {
  const docs = [{ a: 1 }, { b: 'two' }, { c: [3] }].map((doc) => Buffer.from(BSON.serialize(doc)));

  it('give back the documents they were made of, in order', () => {
    const [, payload] = encodeRecord(RecordType.insertBatch, 'db.c', Buffer.concat(docs)) as [Buffer, Buffer];
    expect([...batchDocuments(payload)].map((raw) => BSON.deserialize(raw))).toEqual([
      { a: 1 },
      { b: 'two' },
      { c: [3] },
    ]);
  });

  it('refuse a block whose document lengths do not add up', () => {
    const joined = Buffer.concat(docs);
    expect(() => [...batchDocuments(joined.subarray(0, joined.length - 3))]).toThrow(/document/);
    const bad = Buffer.from(joined);
    bad.writeInt32LE(2, 0);
    expect(() => [...batchDocuments(bad)]).toThrow(/bad document length/);
  });
});
