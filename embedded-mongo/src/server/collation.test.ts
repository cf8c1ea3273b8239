import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Collection, type Document, MongoClient } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverError } from '../testing/serverError.js';
import { storeForSuite } from '../testing/storeForSuite.js';
import { EmbeddedServer } from './EmbeddedServer.js';

/**
 * Collation as MongoDB 7.0 documents it, checked against hand-written expected results (mongod's
 * manual: "Collation", "Collation Locales and Default Parameters", and the examples of find, sort,
 * createIndex and unique indexes with a collation).
 */

const CI = { locale: 'en_US', strength: 2 };
const AR1 = { locale: 'ar', strength: 1 };

const store = storeForSuite('collation');

async function fresh(name: string, docs: Document[]): Promise<Collection> {
  const c = store.db.collection(name);
  await c.drop().catch(() => undefined);
  if (docs.length > 0) await c.insertMany(docs);
  return c;
}

function ids(docs: Document[]): unknown[] {
  return docs.map((d) => d._id);
}

describe('collation spec', () => {
  it('refuses what mongod refuses, with its codes', async () => {
    const c = await fresh('spec', [{ _id: 1, x: 'a' }]);
    const missing = await serverError(c.find({}, { collation: { strength: 2 } as never }).toArray());
    expect([missing.code, missing.message]).toEqual([9, 'Missing expected field "locale"']);
    const unknown = await serverError(c.find({}, { collation: { locale: 'xx' } }).toArray());
    expect([unknown.code, unknown.message]).toEqual([2, 'Field \'locale\' is invalid in: { locale: "xx" }']);
    const field = await serverError(c.find({}, { collation: { locale: 'en', foo: 1 } as never }).toArray());
    expect([field.code, field.message]).toEqual([40415, "BSON field 'collation.foo' is an unknown field."]);
    const strength = await serverError(c.find({}, { collation: { locale: 'en', strength: 6 } }).toArray());
    expect(strength.code).toBe(2);
    const type = await serverError(c.find({}, { collation: { locale: 1 } as never }).toArray());
    expect(type.code).toBe(14);
    const simpleWithMore = await serverError(
      c.find({}, { collation: { locale: 'simple', strength: 1 } }).toArray(),
    );
    expect(simpleWithMore.code).toBe(2);
  });

  it('treats locale "simple" as binary comparison', async () => {
    const c = await fresh('simple', [
      { _id: 1, x: 'ping' },
      { _id: 2, x: 'PING' },
    ]);
    expect(ids(await c.find({ x: 'PING' }, { collation: { locale: 'simple' } }).toArray())).toEqual([2]);
  });
});

describe('find and sort with a collation', () => {
  let c: Collection;
  beforeAll(async () => {
    c = await fresh('words', [
      { _id: 1, x: 'ping' },
      { _id: 2, x: 'Pong' },
      { _id: 3, x: 'b' },
      { _id: 4, x: 'A' },
      { _id: 5, x: 'a' },
      { _id: 6, x: 'B' },
      { _id: 7, x: ['café', 'other'] },
      { _id: 8, x: 10 },
    ]);
  });

  it("finds {x: 'ping'} for {x: 'PING'} at strength 2 (the issue's example), not without it", async () => {
    expect(ids(await c.find({ x: 'PING' }, { collation: CI }).toArray())).toEqual([1]);
    expect(await c.find({ x: 'PING' }).toArray()).toEqual([]);
    // Strength 3 (the default) tells case apart.
    expect(await c.find({ x: 'PING' }, { collation: { locale: 'en_US' } }).toArray()).toEqual([]);
  });

  it('compares strings through the collation in $in, $ne, $nin and ranges; other types as before', async () => {
    expect(
      ids(
        await c
          .find({ x: { $in: ['PONG', 10] } }, { collation: CI })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([2, 8]);
    expect(
      ids(
        await c
          .find({ x: { $ne: 'a' } }, { collation: CI })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([1, 2, 3, 6, 7, 8]);
    expect(
      ids(
        await c
          .find({ x: { $nin: ['A', 'b'] } }, { collation: CI })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([1, 2, 7, 8]);
    // Binary order puts 'B' before 'a'; under the collation 'a' < 'B' < 'c'.
    expect(
      ids(
        await c
          .find({ x: { $gt: 'a', $lt: 'c' } }, { collation: CI })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([3, 6]);
    // Binary: 'A' < 'B' < 'Pong' < 'a' < 'b'.
    expect(
      ids(
        await c
          .find({ x: { $gte: 'A', $lt: 'b' } })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([2, 4, 5, 6]);
    // Strength 1 ignores accents too: an array element matches.
    expect(ids(await c.find({ x: 'CAFE' }, { collation: { locale: 'fr', strength: 1 } }).toArray())).toEqual([
      7,
    ]);
    expect(await c.find({ x: 'CAFE' }, { collation: CI }).toArray()).toEqual([]);
  });

  it('sorts strings in the locale order: lower case before upper case at strength 3', async () => {
    const letters: Document = { _id: { $in: [3, 4, 5, 6] } };
    expect(ids(await c.find(letters).sort({ x: 1 }).toArray())).toEqual([4, 6, 5, 3]);
    expect(
      ids(
        await c
          .find(letters, { collation: { locale: 'en' } })
          .sort({ x: 1 })
          .toArray(),
      ),
    ).toEqual([5, 4, 3, 6]);
    expect(
      ids(
        await c
          .find(letters, { collation: { locale: 'en', caseFirst: 'upper' } })
          .sort({ x: -1 })
          .toArray(),
      ),
    ).toEqual([3, 6, 5, 4]);
  });

  it('orders digits numerically with numericOrdering', async () => {
    const n = await fresh('numeric', [
      { _id: 1, v: '10' },
      { _id: 2, v: '9' },
      { _id: 3, v: '2' },
    ]);
    expect(ids(await n.find({}).sort({ v: 1 }).toArray())).toEqual([1, 3, 2]);
    expect(
      ids(
        await n
          .find({}, { collation: { locale: 'en', numericOrdering: true } })
          .sort({ v: 1 })
          .toArray(),
      ),
    ).toEqual([3, 2, 1]);
  });

  it('ignores punctuation and spaces with alternate "shifted"', async () => {
    const p = await fresh('shifted', [{ _id: 1, v: 'a-b c' }]);
    expect(
      ids(await p.find({ v: 'abc' }, { collation: { locale: 'en', alternate: 'shifted' } }).toArray()),
    ).toEqual([1]);
    expect(await p.find({ v: 'abc' }, { collation: { locale: 'en' } }).toArray()).toEqual([]);
  });
});

describe('the other commands with a collation', () => {
  it('aggregate: $match, $sort and $group keys', async () => {
    const c = await fresh('agg', [
      { _id: 1, city: 'cairo', n: 1 },
      { _id: 2, city: 'Cairo', n: 2 },
      { _id: 3, city: 'amman', n: 4 },
      { _id: 4, city: 'CAIRO', n: 8 },
      { _id: 5, city: 'Beirut', n: 16 },
    ]);
    const matched = await c
      .aggregate([{ $match: { city: 'CAIRO' } }, { $sort: { _id: 1 } }], { collation: CI })
      .toArray();
    expect(ids(matched)).toEqual([1, 2, 4]);
    const grouped = await c
      .aggregate([{ $group: { _id: '$city', total: { $sum: '$n' } } }, { $sort: { _id: 1 } }], {
        collation: CI,
      })
      .toArray();
    // One group for the three spellings of Cairo, keyed by the first one met; groups sorted by the collation.
    expect(grouped).toEqual([
      { _id: 'amman', total: 4 },
      { _id: 'Beirut', total: 16 },
      { _id: 'cairo', total: 11 },
    ]);
    const plain = await c.aggregate([{ $group: { _id: '$city' } }]).toArray();
    expect(plain).toHaveLength(5);
  });

  it('update, delete, findAndModify, count and distinct', async () => {
    const c = await fresh('writes', [
      { _id: 1, name: 'Sara' },
      { _id: 2, name: 'SARA' },
      { _id: 3, name: 'Omar' },
      { _id: 4, name: 'omar' },
      { _id: 5, name: 'nour' },
    ]);
    expect(await c.countDocuments({ name: 'sara' }, { collation: CI })).toBe(2);
    expect((await store.db.command({ count: 'writes', query: { name: 'sara' }, collation: CI })).n).toBe(2);
    expect(await c.countDocuments({ name: 'sara' })).toBe(0);
    const updated = await c.updateMany({ name: 'sara' }, { $set: { seen: true } }, { collation: CI });
    expect(updated.modifiedCount).toBe(2);
    const one = await c.findOneAndUpdate(
      { name: 'OMAR' },
      { $set: { picked: true } },
      { collation: CI, sort: { _id: -1 }, returnDocument: 'after' },
    );
    expect(one).toEqual({ _id: 4, name: 'omar', picked: true });
    expect(await c.distinct('name', {}, { collation: CI })).toEqual(['nour', 'Omar', 'Sara']);
    expect(await c.distinct('name')).toEqual(['Omar', 'SARA', 'Sara', 'nour', 'omar']);
    const deleted = await c.deleteMany({ name: 'NOUR' }, { collation: CI });
    expect(deleted.deletedCount).toBe(1);
    expect((await c.deleteOne({ name: 'OMAR' })).deletedCount).toBe(0);
  });
});

describe('Arabic at strength 1 (what ICU gives; see the README on ICU versions)', () => {
  let c: Collection;
  beforeAll(async () => {
    c = await fresh('arabic', [
      { _id: 1, name: 'احمد' },
      { _id: 2, name: 'أحمد' },
      { _id: 3, name: 'إحمد' },
      { _id: 4, name: 'آحمد' },
      { _id: 5, name: 'فاطمة' },
      { _id: 6, name: 'فاطمه' },
      { _id: 7, name: 'فاطمت' },
      { _id: 8, name: 'مصطفى' },
      { _id: 9, name: 'مصطفي' },
    ]);
  });

  it('alef with hamza above or below compares equal to bare alef; alef with madda does not', async () => {
    for (const spelling of ['احمد', 'أحمد', 'إحمد']) {
      expect(ids(await c.find({ name: spelling }, { collation: AR1 }).sort({ _id: 1 }).toArray())).toEqual([
        1, 2, 3,
      ]);
    }
    expect(ids(await c.find({ name: 'آحمد' }, { collation: AR1 }).toArray())).toEqual([4]);
    // Strength 2 tells the hamza forms apart again; without a collation every spelling is its own.
    expect(
      ids(await c.find({ name: 'أحمد' }, { collation: { locale: 'ar', strength: 2 } }).toArray()),
    ).toEqual([2]);
    expect(ids(await c.find({ name: 'أحمد' }).toArray())).toEqual([2]);
  });

  it('taa marbuta groups with taa, not haa; alef maqsura groups with yaa', async () => {
    expect(ids(await c.find({ name: 'فاطمة' }, { collation: AR1 }).sort({ _id: 1 }).toArray())).toEqual([
      5, 7,
    ]);
    expect(ids(await c.find({ name: 'فاطمه' }, { collation: AR1 }).toArray())).toEqual([6]);
    expect(ids(await c.find({ name: 'مصطفي' }, { collation: AR1 }).sort({ _id: 1 }).toArray())).toEqual([
      8, 9,
    ]);
  });

  it('a case- and hamza-insensitive unique index refuses a second spelling', async () => {
    const u = await fresh('arabicUnique', []);
    await u.createIndex({ name: 1 }, { unique: true, collation: AR1 });
    await u.insertOne({ name: 'أحمد' });
    const error = await serverError(u.insertOne({ name: 'احمد' }));
    expect(error.code).toBe(11000);
  });
});

describe('indexes with a collation', () => {
  it('listIndexes shows the collation with every default filled in', async () => {
    const c = await fresh('ixlist', [{ x: 'a' }]);
    await c.createIndex({ x: 1 }, { collation: { locale: 'en_US', strength: 2 } });
    const index = (await c.listIndexes().toArray()).find((i) => i.name === 'x_1');
    expect(index?.collation).toEqual({
      locale: 'en_US',
      caseLevel: false,
      caseFirst: 'off',
      strength: 2,
      numericOrdering: false,
      alternate: 'non-ignorable',
      maxVariable: 'punct',
      normalization: false,
      backwards: false,
      version: '57.1',
    });
  });

  it('a case-insensitive unique index refuses "ABC" after "abc" (11000), also across a restart', async () => {
    const dbpath = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-collation-'));
    try {
      const first = await EmbeddedServer.start({ port: 0, dbpath });
      const c1 = await new MongoClient(first.uri).connect();
      const users = c1.db('app').collection('users');
      await users.createIndex({ email: 1 }, { unique: true, collation: CI });
      await users.insertOne({ email: 'abc@example.org' });
      const dup = await serverError(users.insertOne({ email: 'ABC@example.org' }));
      expect(dup.code).toBe(11000);
      await users.insertOne({ email: 'zed@example.org' });
      // Enough documents that recovery loads the snapshot's index entries rather than rebuild them.
      await users.insertMany(Array.from({ length: 400 }, (_, i) => ({ email: `user${i}@example.org` })));
      // A snapshot holds the index, and the journal after it one more document.
      await first.persistence!.compact();
      await users.insertOne({ email: 'mona@example.org' });
      await c1.close();
      await first.stop();

      const second = await EmbeddedServer.start({ port: 0, dbpath });
      const c2 = await new MongoClient(second.uri).connect();
      try {
        // The collated index is rebuilt from the documents (a snapshot does not keep its representatives).
        expect(second.persistence!.report.indexesRebuilt).toBe(1);
        const again = c2.db('app').collection('users');
        for (const email of ['ABC@EXAMPLE.ORG', 'Zed@example.org', 'MONA@example.org']) {
          expect((await serverError(again.insertOne({ email }))).code).toBe(11000);
        }
        await again.insertOne({ email: 'new@example.org' });
        expect(await again.countDocuments()).toBe(404);
      } finally {
        await c2.close();
        await second.stop();
      }
    } finally {
      fs.rmSync(dbpath, { recursive: true, force: true });
    }
  });

  it('serves a query of its own collation, and not one of another', async () => {
    const c = await fresh(
      'ixuse',
      Array.from({ length: 50 }, (_, i) => ({ _id: i, x: i % 2 ? `Name${i}` : `name${i}` })),
    );
    await c.createIndex({ x: 1 }, { collation: CI });
    const same = await c.find({ x: 'NAME3' }, { collation: CI }).explain('executionStats');
    expect(same.queryPlanner.winningPlan.inputStage?.indexName).toBe('x_1');
    expect(same.executionStats.nReturned).toBe(1);
    const none = await c.find({ x: 'Name3' }).explain('executionStats');
    expect(none.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    expect(none.executionStats.nReturned).toBe(1);
    const other = await c
      .find({ x: 'NAME3' }, { collation: { locale: 'fr', strength: 1 } })
      .explain('executionStats');
    expect(other.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    expect(other.executionStats.nReturned).toBe(1);
    expect(
      ids(
        await c
          .find({ x: { $in: ['NAME3', 'name4'] } }, { collation: CI })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([3, 4]);
    // A string range cannot use the index (its entries are not in collation order) but is answered right.
    expect(
      ids(
        await c
          .find({ x: { $gte: 'NAME10', $lt: 'NAME12' } }, { collation: CI })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([10, 11]);
  });

  it("a collection's default collation applies to commands without one, and to its new indexes", async () => {
    await store.db
      .collection('defaults')
      .drop()
      .catch(() => undefined);
    await store.db.createCollection('defaults', { collation: CI });
    const c = store.db.collection<{ _id: number; x: string }>('defaults');
    await c.insertMany([
      { _id: 1, x: 'ping' },
      { _id: 2, x: 'Pong' },
    ]);
    expect(ids(await c.find({ x: 'PING' }).toArray())).toEqual([1]);
    expect(await c.find({ x: 'PING' }, { collation: { locale: 'simple' } }).toArray()).toEqual([]);
    const info = (await store.db.listCollections({ name: 'defaults' }).toArray())[0] as Document;
    expect(info.options.collation).toMatchObject({ locale: 'en_US', strength: 2, version: '57.1' });
    await c.createIndex({ x: 1 }, { unique: true });
    const index = (await c.listIndexes().toArray()).find((i) => i.name === 'x_1');
    expect(index?.collation).toMatchObject({ locale: 'en_US', strength: 2 });
    expect((await serverError(c.insertOne({ _id: 3, x: 'PONG' }))).code).toBe(11000);
  });
});
