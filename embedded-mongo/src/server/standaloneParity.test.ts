import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { serverError } from '../testing/serverError.js';
import { storeForSuite } from '../testing/storeForSuite.js';
import { EmbeddedServer } from './EmbeddedServer.js';

// Differential tests against MongoDB 7.0's documented behaviour (expected results written by hand).

const store = storeForSuite('parity');

describe('pipeline updates keep _id', () => {
  const pipeline = [{ $replaceRoot: { newRoot: '$t' } }, { $addFields: { foo: 1 } }];

  it('updateOne, bulkWrite and findOneAndUpdate keep the _id a $replaceRoot drops', async () => {
    const c = store.db.collection('pipeId');
    await c.insertMany([
      { _id: 1, t: { u: { v: 1 } } },
      { _id: 2, t: { u: { v: 2 } } },
      { _id: 3, t: { u: { v: 3 } } },
    ] as never[]);
    await c.updateOne({ _id: 1 } as never, pipeline);
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, u: { v: 1 }, foo: 1 });
    await c.bulkWrite([{ updateOne: { filter: { _id: 2 } as never, update: pipeline } }]);
    expect(await c.findOne({ _id: 2 } as never)).toEqual({ _id: 2, u: { v: 2 }, foo: 1 });
    const after = await c.findOneAndUpdate({ _id: 3 } as never, pipeline, { returnDocument: 'after' });
    expect(after).toEqual({ _id: 3, u: { v: 3 }, foo: 1 });
    await c.updateOne({ _id: 3 } as never, [{ $project: { _id: 0, foo: 1 } }]);
    expect(await c.findOne({ _id: 3 } as never)).toEqual({ _id: 3, foo: 1 });
  });

  it('still refuses a pipeline that sets _id to another value (ImmutableField, 66)', async () => {
    const c = store.db.collection('pipeIdChange');
    await c.insertOne({ _id: 1, a: 1 } as never);
    const error = await serverError(c.updateOne({ _id: 1 } as never, [{ $set: { _id: 2 } }]));
    expect(error.code).toBe(66);
    expect(await c.findOne({})).toEqual({ _id: 1, a: 1 });
  });
});

describe('what 7.0 refuses', () => {
  it('refuses sort on update statements with 40415, keeps it on findAndModify', async () => {
    const c = store.db.collection('updSort');
    await c.insertMany([
      { _id: 1, a: 1 },
      { _id: 2, a: 1 },
    ] as never[]);
    for (const run of [
      () => c.updateOne({ a: 1 }, { $set: { b: 1 } }, { sort: { _id: -1 } }),
      () => c.replaceOne({ a: 1 }, { a: 2 }, { sort: { _id: -1 } }),
      () => c.bulkWrite([{ updateOne: { filter: { a: 1 }, update: { $set: { b: 1 } }, sort: { _id: -1 } } }]),
      () =>
        store.db.command({
          update: 'updSort',
          updates: [{ q: { a: 1 }, u: { $set: { b: 1 } }, sort: { _id: 1 } }],
        }),
    ]) {
      const error = await serverError(run());
      expect(error.code).toBe(40415);
      expect(error.message).toBe("BSON field 'update.updates.sort' is an unknown field.");
    }
    expect(await c.countDocuments({ b: 1 })).toBe(0);
    const found = await c.findOneAndUpdate({ a: 1 }, { $set: { b: 1 } }, { sort: { _id: -1 } });
    expect(found).toEqual({ _id: 2, a: 1 });
  });

  it('refuses an _id holding $-prefixed fields (52), an array or a regex (53)', async () => {
    const c = store.db.collection('badIds');
    const dollar = await serverError(c.insertOne({ _id: { $a: 1 } } as never));
    expect(dollar.code).toBe(52);
    expect(dollar.message).toBe(
      "_id fields may not contain '$'-prefixed fields: $a is not valid for storage.",
    );
    expect((await serverError(c.insertOne({ _id: { x: { $b: 1 } } } as never))).code).toBe(52);
    expect((await serverError(c.insertOne({ _id: [1] } as never))).code).toBe(53);
    expect((await serverError(c.insertOne({ _id: /a/ } as never))).code).toBe(53);
    const upsert = await serverError(
      c.updateOne({ _id: { $eq: { $c: 1 } } } as never, { $set: { a: 1 } }, { upsert: true }),
    );
    expect(upsert.code).toBe(52);
    await c.insertOne({ _id: { a: 1 } } as never);
    expect(await c.countDocuments({})).toBe(1);
  });
});

describe('command-level let', () => {
  const byId = { $expr: { $eq: ['$_id', '$$id'] } };

  it('binds let in find, aggregate, update, delete, findAndModify and bulk writes', async () => {
    const c = store.db.collection('letVars');
    await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 4 }] as never[]);
    expect(await c.find(byId, { let: { id: 1 } }).toArray()).toEqual([{ _id: 1 }]);
    // A let value is an expression evaluated once.
    expect(await c.find(byId, { let: { id: { $add: [1, 1] } } }).toArray()).toEqual([{ _id: 2 }]);
    const agg = await c
      .aggregate([{ $match: byId }, { $addFields: { v: '$$id', now: { $type: '$$NOW' } } }], {
        let: { id: 3 },
      })
      .toArray();
    expect(agg).toEqual([{ _id: 3, v: 3, now: 'date' }]);
    await c.updateOne(byId, [{ $set: { tag: '$$tag' } }], { let: { id: 1, tag: 'one' } });
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, tag: 'one' });
    // A statement's constants (c) win over the command's let, as in 7.0.
    const reply = await store.db.command({
      update: 'letVars',
      updates: [{ q: byId, u: [{ $set: { tag: '$$tag' } }], c: { tag: 'stmt' } }],
      let: { id: 2, tag: 'command' },
    });
    expect(reply).toMatchObject({ n: 1, nModified: 1 });
    expect(await c.findOne({ _id: 2 } as never)).toEqual({ _id: 2, tag: 'stmt' });
    const found = await c.findOneAndUpdate(byId, [{ $set: { tag: '$$tag' } }], {
      let: { id: 3, tag: 'three' },
      returnDocument: 'after',
    });
    expect(found).toEqual({ _id: 3, tag: 'three' });
    await c.bulkWrite([{ updateOne: { filter: byId, update: [{ $set: { tag: 'bulk' } }] } }], {
      let: { id: 4 },
    } as never);
    expect(await c.findOne({ _id: 4 } as never)).toEqual({ _id: 4, tag: 'bulk' });
    expect((await c.deleteOne(byId, { let: { id: 4 } })).deletedCount).toBe(1);
    expect(await c.countDocuments({})).toBe(3);
  });

  it('refuses bad variable names and $$CLUSTER_TIME on a standalone as mongod does', async () => {
    const c = store.db.collection('letVars');
    const upper = await serverError(c.find(byId, { let: { Id: 1 } }).toArray());
    expect(upper.code).toBe(16867);
    expect(upper.message).toBe("'Id' starts with an invalid character for a user variable name");
    const dotted = await serverError(c.find(byId, { let: { 'a-b': 1 } }).toArray());
    expect(dotted.code).toBe(16868);
    const cluster = await serverError(c.find(byId, { let: { id: '$$CLUSTER_TIME' } }).toArray());
    expect(cluster.code).toBe(51144);
  });
});

describe('$merge', () => {
  async function seed(name: string, docs: object[]) {
    const c = store.db.collection(name);
    await c.drop().catch(() => {});
    if (docs.length > 0) await c.insertMany(docs as never[]);
    return c;
  }

  it('merges by _id by default: matched documents get the new fields, others are inserted', async () => {
    const src = await seed('mSrc', [
      { _id: 1, a: 10 },
      { _id: 2, a: 20 },
    ]);
    const out = await seed('mOut', [{ _id: 1, a: 1, keep: true }]);
    expect(await src.aggregate([{ $merge: 'mOut' }]).toArray()).toEqual([]);
    expect(await out.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, a: 10, keep: true },
      { _id: 2, a: 20 },
    ]);
  });

  it('whenMatched replace, keepExisting, fail and a pipeline with $$new; whenNotMatched discard and fail', async () => {
    const src = await seed('mSrc2', [
      { _id: 1, a: 10 },
      { _id: 2, a: 20 },
    ]);
    const out = await seed('mOut2', [{ _id: 1, a: 1, keep: true }]);
    const into = { db: 'parity', coll: 'mOut2' };
    await src.aggregate([{ $merge: { into, whenMatched: 'replace', whenNotMatched: 'discard' } }]).toArray();
    expect(await out.find().toArray()).toEqual([{ _id: 1, a: 10 }]);
    await out.updateOne({ _id: 1 } as never, { $set: { a: 5 } });
    await src.aggregate([{ $merge: { into: 'mOut2', whenMatched: 'keepExisting' } }]).toArray();
    expect(await out.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, a: 5 },
      { _id: 2, a: 20 },
    ]);
    await src
      .aggregate([{ $merge: { into: 'mOut2', whenMatched: [{ $set: { a: { $add: ['$a', '$$new.a'] } } }] } }])
      .toArray();
    expect(await out.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, a: 15 },
      { _id: 2, a: 40 },
    ]);
    await src
      .aggregate([
        {
          $merge: {
            into: 'mOut2',
            let: { inc: '$a' },
            whenMatched: [{ $set: { b: '$$inc' } }],
            whenNotMatched: 'discard',
          },
        },
      ])
      .toArray();
    expect(await out.findOne({ _id: 1 } as never)).toEqual({ _id: 1, a: 15, b: 10 });
    const dup = await serverError(
      src.aggregate([{ $merge: { into: 'mOut2', whenMatched: 'fail' } }]).toArray(),
    );
    expect(dup.code).toBe(11000);
    expect(dup.message).toMatch(
      /E11000 duplicate key error collection: parity.mOut2 index: _id_ dup key: \{ _id: 1 \}/,
    );
    await out.deleteOne({ _id: 2 } as never);
    const missing = await serverError(
      src.aggregate([{ $merge: { into: 'mOut2', whenNotMatched: 'fail' } }]).toArray(),
    );
    expect(missing.code).toBe(13113);
  });

  it('merges on other fields only with a unique index over them (51183), reporting its duplicates as 11000', async () => {
    const src = await seed('mSrc3', [
      { _id: 1, email: 'a@x', n: 1 },
      { _id: 2, email: 'b@x', n: 2 },
    ]);
    const out = await seed('mOut3', [{ _id: 9, email: 'a@x', n: 0 }]);
    const noIndex = await serverError(src.aggregate([{ $merge: { into: 'mOut3', on: 'email' } }]).toArray());
    expect(noIndex.code).toBe(51183);
    await out.createIndex({ email: 1 }, { unique: true });
    await src
      .aggregate([{ $project: { _id: 0 } }, { $merge: { into: 'mOut3', on: 'email', whenMatched: 'merge' } }])
      .toArray();
    const docs = await out
      .find({}, { projection: { _id: 0 } })
      .sort({ email: 1 })
      .toArray();
    expect(docs).toEqual([
      { email: 'a@x', n: 1 },
      { email: 'b@x', n: 2 },
    ]);
    expect(await out.findOne({ email: 'a@x' })).toMatchObject({ _id: 9 });
    const dup = await serverError(
      src
        .aggregate([
          { $project: { _id: 0 } },
          { $merge: { into: 'mOut3', on: 'email', whenMatched: 'fail' } },
        ])
        .toArray(),
    );
    expect(dup.code).toBe(11000);
    expect(dup.message).toMatch(/index: email_1 dup key/);
  });

  it('is only the last stage (40601)', async () => {
    const src = await seed('mSrc4', [{ _id: 1 }]);
    const error = await serverError(src.aggregate([{ $merge: 'x' }, { $match: {} }]).toArray());
    expect(error.code).toBe(40601);
  });
});

describe('views and collMod', () => {
  it('reads through a read-only view: find, aggregate, count, distinct; refuses writes with 166', async () => {
    const people = store.db.collection('people');
    await people.insertMany([
      { _id: 1, name: 'Amal', age: 30, city: 'Amman' },
      { _id: 2, name: 'Badr', age: 17, city: 'Irbid' },
      { _id: 3, name: 'Dana', age: 45, city: 'Amman' },
    ] as never[]);
    await store.db.createCollection('adults', {
      viewOn: 'people',
      pipeline: [{ $match: { age: { $gte: 18 } } }, { $project: { age: 0 } }],
    });
    const adults = store.db.collection('adults');
    expect(await adults.find({}, { sort: { _id: -1 } }).toArray()).toEqual([
      { _id: 3, name: 'Dana', city: 'Amman' },
      { _id: 1, name: 'Amal', city: 'Amman' },
    ]);
    expect(await adults.find({ name: 'Dana' }, { projection: { _id: 0, name: 1 } }).toArray()).toEqual([
      { name: 'Dana' },
    ]);
    expect(await adults.countDocuments({})).toBe(2);
    expect(await adults.countDocuments({ city: 'Amman' })).toBe(2);
    expect(await store.db.command({ count: 'adults', query: { name: 'Amal' } })).toMatchObject({ n: 1 });
    expect(await adults.distinct('city')).toEqual(['Amman']);
    expect(await adults.aggregate([{ $group: { _id: '$city', n: { $sum: 1 } } }]).toArray()).toEqual([
      { _id: 'Amman', n: 2 },
    ]);
    for (const write of [
      () => adults.insertOne({ name: 'x' }),
      () => adults.updateOne({}, { $set: { a: 1 } }),
      () => adults.deleteMany({}),
      () => adults.findOneAndUpdate({}, { $set: { a: 1 } }),
      () => adults.createIndex({ name: 1 }),
    ]) {
      const error = await serverError(write());
      expect(error.code).toBe(166);
      expect(error.message).toBe('Namespace parity.adults is a view, not a collection');
    }
    const infos = await store.db.listCollections({ name: 'adults' }).toArray();
    expect(infos).toEqual([
      {
        name: 'adults',
        type: 'view',
        options: {
          viewOn: 'people',
          pipeline: [{ $match: { age: { $gte: 18 } } }, { $project: { age: 0 } }],
        },
        info: { readOnly: true },
      },
    ]);
    await store.db.command({
      collMod: 'adults',
      viewOn: 'people',
      pipeline: [{ $match: { age: { $lt: 18 } } }],
    });
    expect(await adults.find().toArray()).toEqual([{ _id: 2, name: 'Badr', age: 17, city: 'Irbid' }]);
    expect(await store.db.stats()).toMatchObject({ views: 1 });
    const outToView = await serverError(people.aggregate([{ $out: 'adults' }]).toArray());
    expect(outToView.code).toBe(166);
    expect(await adults.drop()).toBe(true);
    expect(await store.db.listCollections({ name: 'adults' }).toArray()).toEqual([]);
    expect(await people.countDocuments({})).toBe(3);
  });

  it('collMod: no-op, query validators with 121 (strict, moderate, warn), $jsonSchema refused plainly', async () => {
    const c = store.db.collection('validated');
    await c.insertMany([
      { _id: 1, age: 5 },
      { _id: 2, age: -1 },
    ] as never[]);
    expect(await store.db.command({ collMod: 'validated' })).toMatchObject({ ok: 1 });
    await store.db.command({ collMod: 'validated', validator: { age: { $gte: 0 } } });
    const refused = await serverError(c.insertOne({ _id: 3, age: -5 } as never));
    expect(refused.code).toBe(121);
    expect(refused.message).toBe('Document failed validation');
    expect((await serverError(c.updateOne({ _id: 1 } as never, { $set: { age: -2 } }))).code).toBe(121);
    expect((await serverError(c.updateOne({ _id: 2 } as never, { $set: { x: 1 } }))).code).toBe(121);
    await store.db.command({ collMod: 'validated', validationLevel: 'moderate' });
    await c.updateOne({ _id: 2 } as never, { $set: { x: 1 } });
    await store.db.command({ collMod: 'validated', validationAction: 'warn' });
    await c.insertOne({ _id: 4, age: -9 } as never);
    const info = (await store.db.listCollections({ name: 'validated' }).toArray())[0];
    expect((info as { options?: unknown } | undefined)?.options).toEqual({
      validator: { age: { $gte: 0 } },
      validationLevel: 'moderate',
      validationAction: 'warn',
    });
    const schema = await serverError(
      store.db.createCollection('schemaColl', { validator: { $jsonSchema: { required: ['a'] } } }),
    );
    expect(schema.code).toBe(115);
    expect((await serverError(store.db.command({ collMod: 'nothere' }))).code).toBe(26);
  });

  it('keeps views and collMod changes over a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'views-'));
    try {
      const first = await EmbeddedServer.start({ port: 0, dbpath: dir });
      const c1 = await new MongoClient(first.uri).connect();
      const d1 = c1.db('v');
      await d1.collection('src').insertMany([
        { _id: 1, a: 1 },
        { _id: 2, a: 2 },
      ] as never[]);
      await d1.createCollection('big', { viewOn: 'src', pipeline: [{ $match: { a: { $gt: 1 } } }] });
      await d1.createCollection('checked', { validator: { a: { $type: 'number' } } });
      await d1.command({ collMod: 'big', viewOn: 'src', pipeline: [{ $match: { a: 1 } }] });
      await c1.close();
      await first.stop();
      const second = await EmbeddedServer.start({ port: 0, dbpath: dir });
      const c2 = await new MongoClient(second.uri).connect();
      try {
        const d2 = c2.db('v');
        expect(await d2.collection('big').find().toArray()).toEqual([{ _id: 1, a: 1 }]);
        expect((await serverError(d2.collection('checked').insertOne({ a: 'x' }))).code).toBe(121);
      } finally {
        await c2.close();
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('$listLocalSessions', () => {
  it("lists the store's own sessions: the caller's, allUsers and users forms, as a standalone 7.0", async () => {
    const session = store.client.startSession();
    try {
      await store.db.collection('sessions').insertOne({ a: 1 }, { session });
      const id = session.id!.id;
      const admin = store.client.db('admin');
      const mine = await admin.aggregate([{ $listLocalSessions: {} }]).toArray();
      const found = mine.find((doc) => Buffer.from(doc._id.id.buffer).equals(Buffer.from(id.buffer)));
      expect(found).toBeDefined();
      expect(found!.lastUse).toBeInstanceOf(Date);
      // Without authentication the owner is the empty user: its uid is SHA-256 of "".
      expect(Buffer.from(found!._id.uid.buffer).toString('hex')).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      const all = await admin
        .aggregate([{ $listLocalSessions: { allUsers: true } }, { $count: 'n' }])
        .toArray();
      expect(all[0]?.n).toBeGreaterThanOrEqual(1);
      const others = await admin
        .aggregate([{ $listLocalSessions: { users: [{ user: 'nobody', db: 'x' }] } }])
        .toArray();
      expect(others).toEqual([]);
      const onColl = await serverError(
        store.db
          .collection('sessions')
          .aggregate([{ $listLocalSessions: {} }])
          .toArray(),
      );
      expect(onColl.code).toBe(73);
      const notFirst = await serverError(
        admin.aggregate([{ $match: {} }, { $listLocalSessions: {} }]).toArray(),
      );
      expect(notFirst.code).toBe(40602);
      // endSessions forgets it (asked through another client: this one would reuse the pooled session id).
      const other = await new MongoClient(store.server.uri).connect();
      try {
        await other.db('admin').command({ endSessions: [{ id }] });
        const after = await other
          .db('admin')
          .aggregate([{ $listLocalSessions: { allUsers: true } }])
          .toArray();
        expect(after.some((doc) => Buffer.from(doc._id.id.buffer).equals(Buffer.from(id.buffer)))).toBe(
          false,
        );
      } finally {
        await other.close();
      }
    } finally {
      await session.endSession();
    }
  });
});
