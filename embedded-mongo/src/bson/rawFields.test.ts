import {
  Binary,
  BSON,
  BSONRegExp,
  Code,
  Decimal128,
  type Document,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import { describe, expect, it } from 'vitest';
import { documentKey } from './documentKey.js';
import { decodePicked, findTopLevel, idDocument, rawIdKey } from './rawFields.js';
import { serialize } from './serialize.js';
import { bsonFault } from './validateBson.js';

const everyType: Document = {
  _id: new ObjectId(),
  double: new Double(1.5),
  int: new Int32(7),
  long: Long.fromString('9007199254740993'),
  smallLong: Long.fromNumber(5),
  decimal: Decimal128.fromString('1.10'),
  text: 'héllo wörld ✓',
  date: new Date('2024-03-01T08:30:00.250Z'),
  negativeDate: new Date(-86_400_000),
  yes: true,
  no: false,
  nothing: null,
  object: { a: [1, { b: 'c' }] },
  array: [1, 'two', [3]],
  binary: new Binary(Buffer.from([1, 2, 3]), 4),
  regex: new BSONRegExp('^a', 'i'),
  code: new Code('x => x', { y: 1 }),
  timestamp: new Timestamp({ t: 1, i: 2 }),
  min: new MinKey(),
  max: new MaxKey(),
};

describe('raw BSON access', () => {
  it('accepts what the serializer writes and rejects broken bytes', () => {
    const raw = serialize(everyType);
    expect(bsonFault(raw)).toBeUndefined();
    const badType = Buffer.from(raw);
    badType[4] = 0x99;
    expect(bsonFault(badType)).toMatch(/unknown BSON type/);
    expect(bsonFault(raw.subarray(0, raw.length - 1))).toBeDefined();
    const badUtf8 = serialize({ s: 'abc' });
    badUtf8[badUtf8.length - 3] = 0xff;
    expect(bsonFault(badUtf8)).toMatch(/UTF-8/);
    const badLength = Buffer.from(raw);
    badLength.writeInt32LE(raw.length + 1, 0);
    expect(bsonFault(badLength)).toBeDefined();
  });

  it('reads picked fields exactly as the decoder does, scalars or not', () => {
    const raw = serialize(everyType);
    const full = BSON.deserialize(raw, { promoteValues: true });
    const names = Object.keys(everyType);
    const picked = decodePicked(
      raw,
      names.map((name) => Buffer.from(name)),
    );
    expect(picked).toEqual(full);
    for (const name of names) {
      const one = decodePicked(raw, [Buffer.from(name)]);
      expect(one).toEqual({ [name]: full[name] });
    }
    expect(decodePicked(raw, [Buffer.from('absent')])).toEqual({});
    expect(findTopLevel(raw, 'text')).toBeGreaterThan(4);
    expect(findTopLevel(raw, 'absent')).toBe(-1);
  });

  it('derives the collection key and {_id} from the leading _id element', () => {
    for (const id of [new ObjectId(), 'abc', 42, 4.5, Long.fromNumber(42), { a: 1 }, null, new Date(5)]) {
      const raw = serialize({ _id: id, x: 1 });
      expect(rawIdKey(raw)).toBe(documentKey(BSON.deserialize(raw)._id));
      expect(BSON.deserialize(idDocument(raw))).toEqual({ _id: BSON.deserialize(raw)._id });
    }
  });
});
