import { type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedServer } from '../server/EmbeddedServer.js';
import { serverError } from '../testing/serverError.js';

let server: EmbeddedServer;
let client: MongoClient;

beforeAll(async () => {
  server = await EmbeddedServer.start({ port: 0 });
  client = await new MongoClient(server.uri).connect();
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

let collections = 0;

/** Stores `input` alone in a fresh collection and answers the find, `_id` removed, as mongod's jstests do. */
async function findOne(filter: Document, projection: Document, input: Document): Promise<Document | null> {
  const coll = client.db('positional').collection(`c${collections++}`);
  await coll.insertOne({ ...input });
  const found = await coll.findOne(filter, { projection });
  if (!found) return null;
  const { _id, ...rest } = found;
  return rest;
}

describe('the positional projection a.$, as mongod 7.0', () => {
  it('keeps the element the query matched, for a condition through the array, $elemMatch and scalars', async () => {
    const x = [
      { a: 1, b: 2 },
      { a: 2, c: 3 },
      { a: 1, d: 5 },
    ];
    expect(await findOne({ 'x.a': 2 }, { 'x.$': 1 }, { x, y: [1] })).toEqual({ x: [{ a: 2, c: 3 }] });
    expect(await findOne({ 'x.a': 1 }, { 'x.$': 1 }, { x })).toEqual({ x: [{ a: 1, b: 2 }] });
    expect(await findOne({ x: { $elemMatch: { a: 1, d: 5 } } }, { 'x.$': 1 }, { x })).toEqual({
      x: [{ a: 1, d: 5 }],
    });
    expect(await findOne({ x: { $elemMatch: { $gt: 1, $lt: 3 } } }, { 'x.$': 1 }, { x: [1, 2, 3] })).toEqual({
      x: [2],
    });
    expect(await findOne({ a: 5 }, { 'a.$': 1 }, { a: [3, 5, 7], z: 1 })).toEqual({ a: [5] });
    expect(await findOne({ a: { $gt: 4 } }, { 'a.$': 1, z: 1 }, { a: [3, 5, 7], z: 1 })).toEqual({
      a: [5],
      z: 1,
    });
    expect(
      await findOne(
        { 'x.y.a': 1 },
        { 'x.y.$': 1 },
        {
          x: {
            y: [
              { a: 1, b: 1 },
              { a: 1, b: 2 },
            ],
          },
        },
      ),
    ).toEqual({
      x: { y: [{ a: 1, b: 1 }] },
    });
  });

  it('applies the index to the first array on the projected path, even another field than the query’s', async () => {
    const doc = { a: [1, 2, 3], b: [4, 5, 6] };
    expect(await findOne({ a: 2 }, { 'b.$': 1 }, doc)).toEqual({ b: [5] });
    // In an $and the last condition to match an element wins; an $or of equalities on one path is an $in.
    expect(await findOne({ $and: [{ a: 1 }, { a: 2 }, { a: 3 }] }, { 'b.$': 1 }, doc)).toEqual({ b: [6] });
    expect(await findOne({ $and: [{ a: 3 }, { a: 2 }, { a: 1 }] }, { 'b.$': 1 }, doc)).toEqual({ b: [4] });
    expect(await findOne({ a: { $in: [2, 3] } }, { 'b.$': 1 }, doc)).toEqual({ b: [5] });
    expect(await findOne({ $or: [{ a: 2 }, { a: 3 }] }, { 'b.$': 1 }, doc)).toEqual({ b: [5] });
    expect(
      await findOne(
        { 'x.y.z': 1 },
        { 'a.b.c.$': 1 },
        { x: { y: { z: [0, 1, 2] } }, a: [{ b: { c: [1, 2, 3] } }, { b: { c: [4, 5, 6] } }] },
      ),
    ).toEqual({ a: [{ b: { c: [4, 5, 6] } }] });
  });

  it('leaves a path with no array as it is, and a missing one out', async () => {
    expect(await findOne({ x: 1 }, { 'a.$': 1 }, { x: 1 })).toEqual({});
    expect(await findOne({}, { 'g.$': 1 }, { x: [1] })).toEqual({});
    expect(await findOne({ x: { $gt: 0 } }, { 'a.b.c.$': 1 }, { x: [-1, 1], a: { b: { c: 123 } } })).toEqual({
      a: { b: { c: 123 } },
    });
    expect(await findOne({ _id: { $exists: true } }, { 'a.$': 1 }, { a: 'scalar' })).toEqual({ a: 'scalar' });
  });

  it('keeps _id first, or drops it on request, and works across getMore batches', async () => {
    const coll = client.db('positional').collection<{ _id: number; x: Document[] }>('batches');
    await coll.insertMany([
      { _id: 0, x: [{ b: 1 }, { b: 2 }] },
      { _id: 1, x: [{ b: 2 }, { b: 3 }] },
      { _id: 2, x: [{ b: 3 }, { b: 2 }] },
    ]);
    const all = await coll
      .find({ 'x.b': 2 }, { projection: { 'x.$': 1 }, sort: { _id: 1 }, batchSize: 1 })
      .toArray();
    expect(all).toEqual([
      { _id: 0, x: [{ b: 2 }] },
      { _id: 1, x: [{ b: 2 }] },
      { _id: 2, x: [{ b: 2 }] },
    ]);
    expect(Object.keys(all[0]!)).toEqual(['_id', 'x']);
    expect(await coll.findOne({ 'x.b': 3 }, { projection: { 'x.$': 1, _id: 0 }, sort: { _id: 1 } })).toEqual({
      x: [{ b: 3 }],
    });
  });

  it('applies to findAndModify', async () => {
    const coll = client.db('positional').collection<{ _id: number; x: Document[]; n: number }>('fam');
    await coll.insertOne({ _id: 1, x: [{ b: 1 }, { b: 2 }], n: 0 });
    const value = await coll.findOneAndUpdate(
      { 'x.b': 2 },
      { $inc: { n: 1 } },
      { projection: { 'x.$': 1 }, returnDocument: 'after' },
    );
    expect(value).toEqual({ _id: 1, x: [{ b: 2 }] });
  });

  it('answers mongod’s error, not a JavaScript one, when the query recorded no element for the array', async () => {
    const coll = client.db('positional').collection('unmatched');
    await coll.insertOne({ a: [1, 2, 3], b: [4, 5, 6] });
    for (const filter of [{}, { b: [4, 5, 6] }, { $or: [{ a: 1 }, { b: 5 }] }, { $nor: [{ a: -1 }] }]) {
      const error = await serverError(coll.find(filter, { projection: { 'a.$': 1 } }).toArray());
      expect(error.code, JSON.stringify(filter)).toBe(51246);
      expect(error.codeName).toBe('Location51246');
      expect(error.message).toBe(
        "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
      );
    }
  });

  it('refuses the positional forms mongod refuses, with its codes', async () => {
    const coll = client.db('positional').collection('refused');
    await coll.insertOne({ x: [{ a: 1 }], y: [{ aa: 1 }] });
    const cases: [Document, Document, number, string][] = [
      [
        { x: 1 },
        { 'x.$': { $slice: 1 } },
        31271,
        'positional projection cannot be used with an expression or sub object',
      ],
      [{ 'x.a': 1 }, { 'x.$': 1, y: 0 }, 31254, 'Cannot do exclusion on field y in inclusion projection'],
      [{ 'x.a': 1 }, { y: 0, 'x.$': 1 }, 31253, 'Cannot do inclusion on field x.$ in exclusion projection'],
      [{ 'x.a': 1 }, { 'x.$': 0 }, 31395, 'positional projection cannot be used with exclusion'],
      [{ 'x.a': 1 }, { 'x.$': 'yes' }, 31308, 'positional projection cannot be used with a literal'],
      [
        { 'x.a': 1, 'y.aa': 1 },
        { 'x.$': 1, 'y.$': 1 },
        31276,
        'Cannot specify more than one positional projection per query.',
      ],
      [
        { 'x.a': 1 },
        { y: { $elemMatch: { aa: 1 } }, 'x.$': 1 },
        31256,
        'Cannot specify positional operator and $elemMatch.',
      ],
      [
        { 'x.a': 1 },
        { 'x.$': 1, y: { $elemMatch: { aa: 1 } } },
        31255,
        'Cannot specify positional operator and $elemMatch.',
      ],
      [{ 'x.a': 1 }, { 'x.$': 1, 'x.a': 1 }, 31249, 'Path collision at x.a remaining portion a'],
      [{ 'x.a': 1 }, { 'x.a': 1, 'x.$': 1 }, 31250, 'Path collision at x'],
      [
        { 'x.a': 1 },
        { 'x.$.a': 1 },
        31394,
        "As of 4.4, it's illegal to specify positional operator in the middle of a path.",
      ],
    ];
    for (const [filter, projection, code, message] of cases) {
      const error = await serverError(coll.find(filter, { projection }).toArray());
      expect(error.code, JSON.stringify(projection)).toBe(code);
      expect(error.message, JSON.stringify(projection)).toContain(message);
      expect(error.message).not.toMatch(/Cannot read properties|undefined|stack/);
    }
  });
});
