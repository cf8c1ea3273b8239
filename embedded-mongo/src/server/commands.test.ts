import { Long, MongoClient, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { serverError } from '../testing/serverError.js';
import { storeForSuite } from '../testing/storeForSuite.js';

const store = storeForSuite('cmds');

describe('handshake and diagnostics', () => {
  it('answers hello, buildInfo, getParameter, hostInfo, ping as a standalone 7.0', async () => {
    const hello = await store.db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 21, minWireVersion: 0, ok: 1 });
    expect(hello.setName).toBeUndefined();
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    const legacy = await store.db.admin().command({ isMaster: 1 });
    expect(legacy.ismaster).toBe(true);
    expect((await store.db.admin().command({ buildInfo: 1 })).version).toBe('7.0.0');
    expect(await store.db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 })).toMatchObject(
      {
        featureCompatibilityVersion: { version: '7.0' },
      },
    );
    expect((await store.db.admin().command({ hostInfo: 1 })).system.numCores).toBeGreaterThan(0);
    expect(await store.db.admin().ping()).toMatchObject({ ok: 1 });
  });

  it('answers unknown commands with CommandNotFound (59)', async () => {
    const error = await serverError(store.db.command({ frobnicate: 1 }));
    expect(error.code).toBe(59);
    expect(error.codeName).toBe('CommandNotFound');
  });

  it('rejects transactions and change streams with MongoDB codes', async () => {
    const error = await serverError(
      store.db.command({ insert: 'x', documents: [{}], txnNumber: Long.fromNumber(1) }),
    );
    expect(error.code).toBe(20);
    expect(error.message).toMatch(/Transaction numbers are only allowed on a replica set member or mongos/);
    const stream = store.db.collection('x').watch();
    const csError = await serverError(stream.tryNext());
    expect(csError.code).toBe(40573);
    await stream.close();
  });
});

describe('CRUD', () => {
  it('find with filter, sort, projection, skip, limit and batches through getMore', async () => {
    const c = store.db.collection('people');
    await c.insertMany(
      Array.from({ length: 250 }, (_, i) => ({
        i,
        group: i % 5,
        name: `p${i}`,
        tags: [i % 2 ? 'odd' : 'even'],
      })),
    );
    const page = await c
      .find({ group: 3 }, { projection: { _id: 0, i: 1 }, sort: { i: -1 }, skip: 2, limit: 3 })
      .toArray();
    expect(page).toEqual([{ i: 238 }, { i: 233 }, { i: 228 }]);
    const cursor = c.find({ tags: 'odd' }).batchSize(7);
    let n = 0;
    for await (const _ of cursor) n++;
    expect(n).toBe(125);
    expect(await c.countDocuments({ i: { $gte: 100, $lt: 110 } })).toBe(10);
    expect((await store.db.command({ count: 'people', query: { group: 1 }, skip: 10, limit: 5 })).n).toBe(5);
    expect(await c.distinct('group', { i: { $lt: 12 } })).toEqual([0, 1, 2, 3, 4]);
    expect(await c.distinct('tags')).toEqual(['even', 'odd']);
  });

  it('accepts a collation, and refuses an unknown locale with BadValue (see collation.test.ts)', async () => {
    const people = store.db.collection('people');
    const all = await people.countDocuments();
    expect(await people.find({}, { collation: { locale: 'fr' } }).toArray()).toHaveLength(all);
    const error = await serverError(people.find({}, { collation: { locale: 'xx' } }).toArray());
    expect(error.code).toBe(2);
  });

  it('kills cursors', async () => {
    const reply = await store.db.command({ find: 'people', batchSize: 2 });
    const id = reply.cursor.id as Long;
    expect(id.isZero()).toBe(false);
    const killed = await store.db.command({ killCursors: 'people', cursors: [id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    const error = await serverError(store.db.command({ getMore: id, collection: 'people' }));
    expect(error.code).toBe(43);
  });

  it('update: operators, upsert, multi, arrayFilters, pipeline, replacement and immutable _id', async () => {
    const c = store.db.collection('upd');
    await c.insertMany([
      { _id: 1 as never, n: 1, grades: [90, 70, 95] },
      { _id: 2 as never, n: 2, grades: [60] },
    ]);
    expect((await c.updateMany({}, { $inc: { n: 10 } })).modifiedCount).toBe(2);
    const noop = await c.updateOne({ _id: 1 as never }, { $set: { n: 11 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    await c.updateOne(
      { _id: 1 as never },
      { $set: { 'grades.$[g]': 100 } },
      { arrayFilters: [{ g: { $gte: 90 } }] },
    );
    expect((await c.findOne({ _id: 1 as never }))?.grades).toEqual([100, 70, 100]);
    // The positional $ changes the element the filter matched.
    await c.updateOne({ _id: 1 as never, grades: 70 }, { $set: { 'grades.$': 75 } });
    expect((await c.findOne({ _id: 1 as never }))?.grades).toEqual([100, 75, 100]);
    await c.updateOne({ _id: 2 as never }, [{ $set: { total: { $sum: '$grades' } } }]);
    expect((await c.findOne({ _id: 2 as never }))?.total).toBe(60);
    const up = await c.updateOne({ _id: 3 as never, kind: 'new' }, { $set: { n: 3 } }, { upsert: true });
    expect(up.upsertedId).toBe(3);
    expect(await c.findOne({ _id: 3 as never })).toEqual({ _id: 3, kind: 'new', n: 3 });
    await c.replaceOne({ _id: 3 as never }, { replaced: true });
    expect(await c.findOne({ _id: 3 as never })).toEqual({ _id: 3, replaced: true });
    const immutable = await serverError(c.updateOne({ _id: 3 as never }, { $set: { _id: 4 } }));
    expect(immutable.code).toBe(66);
    const badOp = await serverError(c.updateOne({ _id: 3 as never }, { $frob: { a: 1 } } as never));
    expect(badOp.code).toBe(9);
    const typeErr = await serverError(c.updateOne({ _id: 2 as never }, { $inc: { grades: 1 } }));
    expect(typeErr.code).toBe(14);
  });

  it('findAndModify: new, upsert, sort, fields, remove', async () => {
    const c = store.db.collection('fam');
    await c.insertMany([
      { k: 'a', v: 1 },
      { k: 'a', v: 2 },
      { k: 'b', v: 3 },
    ]);
    const after = await c.findOneAndUpdate(
      { k: 'a' },
      { $inc: { v: 100 } },
      { sort: { v: -1 }, returnDocument: 'after', projection: { _id: 0 } },
    );
    expect(after).toEqual({ k: 'a', v: 102 });
    const before = await c.findOneAndUpdate({ k: 'b' }, { $set: { v: 0 } }, { returnDocument: 'before' });
    expect(before?.v).toBe(3);
    const created = await c.findOneAndUpdate(
      { k: 'c' },
      { $set: { v: 9 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(created).toMatchObject({ k: 'c', v: 9 });
    const removed = await c.findOneAndDelete({ k: 'a' }, { sort: { v: 1 } });
    expect(removed?.v).toBe(1);
    expect(await c.findOneAndDelete({ k: 'zzz' })).toBeNull();
  });

  it('insert batches: ordered stops at the first error, unordered continues; _id duplicates are 11000', async () => {
    const c = store.db.collection('batch');
    await c.insertOne({ _id: 'x' as never });
    const ordered = await c
      .insertMany([{ _id: 'a' }, { _id: 'x' }, { _id: 'b' }] as never[])
      .catch((e: unknown) => e);
    expect((ordered as { code: number }).code).toBe(11000);
    expect(await c.countDocuments()).toBe(2);
    const unordered = await c
      .insertMany([{ _id: 'c' }, { _id: 'x' }, { _id: 'd' }] as never[], { ordered: false })
      .catch((e: { writeErrors: unknown[] }) => e);
    expect((unordered as { writeErrors: Array<{ keyValue?: unknown }> }).writeErrors).toHaveLength(1);
    expect(await c.countDocuments()).toBe(4);
    const arrayId = await c.insertOne({ _id: [1] as never }).catch((e: { code: number }) => e);
    expect((arrayId as { code: number }).code).toBe(53);
  });

  it('delete one and many', async () => {
    const c = store.db.collection('del');
    await c.insertMany([{ a: 1 }, { a: 1 }, { a: 2 }]);
    expect((await c.deleteOne({ a: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ a: { $gte: 1 } })).deletedCount).toBe(2);
  });
});

describe('indexes', () => {
  it('uses an index for equality and range: a find by an indexed field does not scan', async () => {
    const c = store.db.collection('ix');
    await c.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        i,
        mod: i % 100,
        at: new Date(1_700_000_000_000 + i * 1000),
      })),
    );
    await c.createIndex({ mod: 1 });
    await c.createIndex({ at: -1 });
    const eq = await c.find({ mod: 7 }).explain('executionStats');
    expect(eq.queryPlanner.winningPlan.inputStage).toMatchObject({ stage: 'IXSCAN', indexName: 'mod_1' });
    expect(eq.executionStats).toMatchObject({ nReturned: 20, totalDocsExamined: 20 });
    const range = await c
      .find({
        at: { $gte: new Date(1_700_000_000_000 + 100_000), $lt: new Date(1_700_000_000_000 + 110_000) },
      })
      .explain('executionStats');
    expect(range.queryPlanner.winningPlan.inputStage.indexName).toBe('at_-1');
    expect(range.executionStats).toMatchObject({ nReturned: 10, totalDocsExamined: 10 });
    const inList = await c.find({ mod: { $in: [1, 2] }, i: { $lt: 500 } }).explain('executionStats');
    expect(inList.executionStats).toMatchObject({ nReturned: 10, totalDocsExamined: 40 });
    const scan = await c.find({ i: 5 }).explain('executionStats');
    expect(scan.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    const byId = await c.find({ _id: (await c.findOne({ i: 9 }))!._id }).explain('executionStats');
    expect(byId.queryPlanner.winningPlan.stage).toBe('IDHACK');
    // Index results must agree with a scan after updates and deletes.
    await c.updateMany({ mod: 7 }, { $set: { mod: 8 } });
    await c.deleteMany({ mod: 8, i: { $lt: 1000 } });
    expect(await c.countDocuments({ mod: 7 })).toBe(0);
    expect(await c.countDocuments({ mod: 8 })).toBe(20);
    expect(await c.countDocuments({ mod: { $gt: 97 } })).toBe(40);
  });

  it('enforces compound unique, sparse and partial indexes', async () => {
    const c = store.db.collection('uniq');
    await c.createIndex({ clinic: 1, code: 1 }, { unique: true });
    await c.insertOne({ clinic: 'a', code: 1 });
    await c.insertOne({ clinic: 'b', code: 1 });
    const dup = await serverError(c.insertOne({ clinic: 'a', code: 1 }));
    expect(dup.code).toBe(11000);
    expect(dup.errorResponse).toMatchObject({
      keyPattern: { clinic: 1, code: 1 },
      keyValue: { clinic: 'a', code: 1 },
    });

    await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await c.insertOne({ clinic: 'c', code: 2 });
    await c.insertOne({ clinic: 'd', code: 2 });
    await c.insertOne({ clinic: 'e', code: 2, nick: 'z' });
    expect((await serverError(c.insertOne({ clinic: 'f', code: 2, nick: 'z' }))).code).toBe(11000);

    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertOne({ clinic: 'g', code: 3, email: 'e@x', active: false });
    await c.insertOne({ clinic: 'h', code: 3, email: 'e@x', active: true });
    expect((await serverError(c.insertOne({ clinic: 'i', code: 3, email: 'e@x', active: true }))).code).toBe(
      11000,
    );
    const conflict = await serverError(c.updateOne({ clinic: 'g' }, { $set: { active: true } }));
    expect(conflict.code).toBe(11000);

    const building = await serverError(
      store.db.collection('uniq').createIndex({ code: 1 }, { unique: true }),
    );
    expect(building.code).toBe(11000);
    const names = (await c.indexes()).map((i) => i.name);
    expect(names).toEqual(['_id_', 'clinic_1_code_1', 'nick_1', 'email_1']);
    expect((await c.indexes()).find((i) => i.name === 'email_1')).toMatchObject({
      unique: true,
      partialFilterExpression: { active: true },
    });
  });

  it('creates idempotently, reports conflicts and drops indexes', async () => {
    const c = store.db.collection('ixmgmt');
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect((await serverError(c.createIndex({ b: 1 }, { name: 'a_1' }))).code).toBe(86);
    expect((await serverError(c.createIndex({ t: 'text' }))).code).toBe(67);
    await c.dropIndex('a_1');
    expect((await serverError(c.dropIndex('a_1'))).code).toBe(27);
    expect((await serverError(c.dropIndex('_id_'))).code).toBe(72);
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
    expect((await serverError(store.db.collection('nothing-here').indexes())).code).toBe(26);
  });

  it('builds an index in the background: other clients are answered meanwhile, a second request waits for it', async () => {
    const c = store.db.collection('bigbuild');
    for (let i = 0; i < 100_000; i += 20_000) {
      await c.insertMany(Array.from({ length: 20_000 }, (_, k) => ({ n: i + k, tag: `t${(i + k) % 97}` })));
    }
    const other = await new MongoClient(store.server.uri).connect();
    try {
      const order: string[] = [];
      const first = c.createIndex({ tag: 1, n: 1 }).then(() => order.push('first build'));
      const second = other
        .db('cmds')
        .collection('bigbuild')
        .createIndex({ tag: 1, n: 1 })
        .then(() => order.push('second request'));
      // While the index is being built: not listed, not used, and the store.server answers other commands.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const names = (await other.db('cmds').collection('bigbuild').indexes()).map((i) => i.name);
      const plan = await other.db('cmds').command({ explain: { find: 'bigbuild', filter: { tag: 't5' } } });
      order.push('answered meanwhile');
      await Promise.all([first, second]);
      expect(order[0]).toBe('answered meanwhile');
      expect(names).toEqual(['_id_']);
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('COLLSCAN');
      expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'tag_1_n_1']);
      expect(await c.countDocuments({ tag: 't5' })).toBe(1031);
    } finally {
      await other.close();
    }
  });

  it('answers other clients while a query or a write reads a large collection that no index narrows', async () => {
    const c = store.db.collection('longscan');
    for (let i = 0; i < 120_000; i += 20_000) {
      await c.insertMany(Array.from({ length: 20_000 }, (_, k) => ({ n: i + k, kind: 'routine' })));
    }
    await c.insertOne({ n: -1, kind: 'rare' });
    const slowReads: Array<[string, () => Promise<unknown>, unknown]> = [
      ['find', async () => (await c.find({ kind: 'rare' }).toArray()).length, 1],
      ['countDocuments', () => c.countDocuments({ kind: 'rare' }), 1],
      ['count', async () => (await store.db.command({ count: 'longscan', query: { kind: 'rare' } })).n, 1],
      [
        'updateMany',
        async () => (await c.updateMany({ kind: 'rare' }, { $set: { seen: true } })).modifiedCount,
        1,
      ],
      ['deleteMany', async () => (await c.deleteMany({ kind: 'never' })).deletedCount, 0],
      // A sort no index gives: every match is gathered first.
      [
        'sorted find',
        async () =>
          (
            await c
              .find({ n: { $gte: 0 } })
              .sort({ kind: 1, n: -1 })
              .skip(100_000)
              .limit(2)
              .toArray()
          ).map((d) => d.n),
        [19_999, 19_998],
      ],
    ];
    const other = await new MongoClient(store.server.uri).connect();
    try {
      for (const [name, read, expected] of slowReads) {
        const order: string[] = [];
        const result = read().then((value) => {
          order.push(name);
          return value;
        });
        // The read is under way on the store.server when the other store.client asks.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await other.db('cmds').command({ ping: 1 });
        order.push('ping');
        expect(await result).toEqual(expected);
        expect(order).toEqual(['ping', name]);
      }
    } finally {
      await other.close();
    }
  });

  it('stops a build when its index or its collection is dropped (IndexBuildAborted, 276)', async () => {
    const c = store.db.collection('abortedbuild');
    await c.insertMany(Array.from({ length: 50_000 }, (_, n) => ({ n })));
    const dropped = serverError(c.createIndex({ n: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await c.dropIndex('n_1');
    expect((await dropped).code).toBe(276);
    const gone = serverError(c.createIndex({ n: -1 }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await c.drop();
    expect((await gone).code).toBe(276);
    expect(await store.db.listCollections({ name: 'abortedbuild' }).toArray()).toEqual([]);
  });
  it('expires documents through TTL indexes', async () => {
    const c = store.db.collection('sessions');
    await c.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 60 });
    const now = Date.now();
    await c.insertMany([
      { s: 'old', lastSeen: new Date(now - 120_000) },
      { s: 'fresh', lastSeen: new Date(now - 1000) },
      { s: 'no date', lastSeen: 'yesterday' },
    ]);
    expect(await store.server.ttl.sweep(now)).toBe(1);
    expect((await c.find({}, { projection: { _id: 0, s: 1 } }).toArray()).map((d) => d.s)).toEqual([
      'fresh',
      'no date',
    ]);
  });
});

describe('aggregation', () => {
  it('runs $match $group $sort $project $lookup $unwind $facet $count $limit $skip $addFields and $out', async () => {
    const orders = store.db.collection('orders');
    const items = store.db.collection('items');
    await items.insertMany([
      { _id: 'i1' as never, price: 5 },
      { _id: 'i2' as never, price: 7 },
    ]);
    await orders.insertMany([
      {
        who: 'a',
        lines: [
          { item: 'i1', q: 2 },
          { item: 'i2', q: 1 },
        ],
      },
      { who: 'b', lines: [{ item: 'i2', q: 3 }] },
    ]);
    const totals = await orders
      .aggregate([
        { $unwind: '$lines' },
        { $lookup: { from: 'items', localField: 'lines.item', foreignField: '_id', as: 'item' } },
        { $unwind: '$item' },
        { $addFields: { amount: { $multiply: ['$lines.q', '$item.price'] } } },
        { $group: { _id: '$who', total: { $sum: '$amount' } } },
        { $sort: { total: -1 } },
        { $project: { _id: 0, who: '$_id', total: 1 } },
      ])
      .toArray();
    expect(totals).toEqual([
      { total: 21, who: 'b' },
      { total: 17, who: 'a' },
    ]);
    const [facet] = await orders
      .aggregate([
        {
          $facet: {
            n: [{ $count: 'c' }],
            second: [{ $sort: { who: 1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, who: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facet).toEqual({ n: [{ c: 2 }], second: [{ who: 'b' }] });
    await orders
      .aggregate([{ $match: { who: 'a' } }, { $project: { who: 1 } }, { $out: 'orders_a' }])
      .toArray();
    expect(await store.db.collection('orders_a').countDocuments()).toBe(1);
    expect((await serverError(orders.aggregate([{ $bogus: 1 }]).toArray())).message).toMatch(/\$bogus/);
  });

  it('converts ObjectId, Date and Long to strings as MongoDB does ($toString, $convert)', async () => {
    const c = store.db.collection('conversions');
    const id = new ObjectId();
    const at = new Date('2024-03-01T08:30:00.250Z');
    await c.insertOne({ _id: id, at, big: Long.fromString('9007199254740993'), n: 7 });
    const [converted] = await c
      .aggregate([
        {
          $project: {
            _id: 0,
            id: { $toString: '$_id' },
            at: { $toString: '$at' },
            big: { $toString: '$big' },
            n: { $toString: '$n' },
            missing: { $toString: '$nope' },
            viaConvert: { $convert: { input: '$_id', to: 'string' } },
          },
        },
      ])
      .toArray();
    expect(converted).toEqual({
      id: id.toHexString(),
      at: '2024-03-01T08:30:00.250Z',
      big: '9007199254740993',
      n: '7',
      missing: null,
      viaConvert: id.toHexString(),
    });
    // The drivers' countDocuments pipeline is answered without decoding documents.
    expect(await c.countDocuments()).toBe(1);
    expect(await c.countDocuments({ n: 7 }, { skip: 1 })).toBe(0);
    const groups = await c.aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]).toArray();
    expect(groups).toEqual([{ _id: null, n: 1 }]);
  });
});

describe('catalog', () => {
  it('create, listCollections, rename, drop, dropDatabase, listDatabases, collStats, dbStats', async () => {
    const other = store.client.db('catalog_db');
    await other.createCollection('a');
    expect((await serverError(other.createCollection('a'))).code).toBe(48);
    expect((await serverError(other.createCollection('capped', { capped: true, size: 100 }))).code).toBe(115);
    await other.collection('a').insertMany([{ x: 1 }, { x: 2 }]);
    await other.collection('b').insertOne({ y: 1 });
    const names = (await other.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['a', 'b']);
    expect((await other.listCollections({ name: 'a' }).toArray())[0]).toMatchObject({
      name: 'a',
      type: 'collection',
    });
    await other.collection('a').rename('c');
    expect(await other.collection('c').countDocuments()).toBe(2);
    expect((await serverError(other.collection('b').rename('c'))).code).toBe(48);
    const stats = await other.command({ collStats: 'c' });
    expect(stats).toMatchObject({ ns: 'catalog_db.c', count: 2, nindexes: 1 });
    expect(stats.size).toBeGreaterThan(0);
    expect(await other.stats()).toMatchObject({ db: 'catalog_db', collections: 2, objects: 3 });
    const dbs = await store.client.db().admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain('catalog_db');
    expect(await other.collection('b').drop()).toBe(true);
    await other.dropDatabase();
    expect((await store.client.db().admin().listDatabases()).databases.map((d) => d.name)).not.toContain(
      'catalog_db',
    );
  });
});
