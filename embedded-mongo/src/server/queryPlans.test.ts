import { type Collection, type Db, type Document, MongoClient, ObjectId, type Sort } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedServer } from './EmbeddedServer.js';

/**
 * The fast paths (index-order walks with early stop, exact index bounds, counts from index
 * entries, top-k sorts, lazy cursors) must return what the slow path returns: every query
 * runs on an indexed collection and on an identical one without indexes, whose answer
 * (a scan, a full sort, then skip/limit applied here) is the reference.
 */

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;
let indexed: Collection;
let plain: Collection;

const WORDS = ['mohamed', 'ahmed', 'khalil', 'sara', 'nour', 'omar'];
const N = 3000;
const T0 = 1_700_000_000_000;

function patient(i: number): Document {
  const terms = [WORDS[i % 6]!, WORDS[(i * 7) % 5]!, WORDS[(i * 3) % 4]!];
  return {
    _id: new ObjectId(),
    clinicId: `c${i % 4}`,
    // Several elements of one document often equal the searched word: it must come back once.
    searchTerms: terms,
    name: { latin: `name-${(i * 7919) % 1000}` },
    specialistId: `s${i % 3}`,
    start: new Date(T0 + (i % 500) * 60_000),
    at: new Date(T0 + i * 1000),
    i,
  };
}

beforeAll(async () => {
  server = await EmbeddedServer.start({ port: 0 });
  client = await new MongoClient(server.uri).connect();
  db = client.db('plans');
  indexed = db.collection('indexed');
  plain = db.collection('plain');
  const docs = Array.from({ length: N }, (_, i) => patient(i));
  await indexed.insertMany(docs.map((d) => ({ ...d })));
  await plain.insertMany(docs.map((d) => ({ ...d })));
  await indexed.createIndex({ searchTerms: 1, clinicId: 1 });
  await indexed.createIndex({ specialistId: 1, start: 1 });
  await indexed.createIndex({ at: -1 });
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

interface Query {
  filter: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
}

function ids(docs: Document[]): string[] {
  return docs.map((d) => String(d._id));
}

async function fastDocs(q: Query): Promise<Document[]> {
  let cursor = indexed.find(q.filter);
  if (q.sort) cursor = cursor.sort(q.sort);
  if (q.skip) cursor = cursor.skip(q.skip);
  if (q.limit) cursor = cursor.limit(q.limit);
  return cursor.toArray();
}

async function fast(q: Query): Promise<string[]> {
  return ids(await fastDocs(q));
}

/** The slow path: scan, full sort, then the window. */
async function reference(q: Query, coll = plain): Promise<string[]> {
  let cursor = coll.find(q.filter);
  if (q.sort) cursor = cursor.sort(q.sort);
  const all = ids(await cursor.toArray());
  const from = q.skip ?? 0;
  return all.slice(from, q.limit ? from + q.limit : undefined);
}

async function stats(q: Query): Promise<Document> {
  const body: Document = { find: 'indexed', filter: q.filter };
  if (q.sort) body.sort = q.sort;
  if (q.skip) body.skip = q.skip;
  if (q.limit) body.limit = q.limit;
  return db.command({ explain: body, verbosity: 'executionStats' });
}

async function countStats(filter: Document): Promise<Document> {
  return db.command({ explain: { count: 'indexed', query: filter }, verbosity: 'executionStats' });
}

describe('multikey equality fully answered by the index', () => {
  const filter = { clinicId: 'c1', searchTerms: 'mohamed' };

  it('returns the scan’s documents once each, and stops after the limit', async () => {
    const all = await fast({ filter });
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...(await reference({ filter }))].sort());
    expect(all.length).toBeGreaterThan(100);
    // Without a sort, the window is the same walk cut short.
    expect(await fast({ filter, limit: 21 })).toEqual(all.slice(0, 21));
    expect(await fast({ filter, skip: 10, limit: 21 })).toEqual(all.slice(10, 31));
    const explained = await stats({ filter, limit: 21 });
    expect(explained.queryPlanner.winningPlan.inputStage.indexName).toBe('searchTerms_1_clinicId_1');
    expect(explained.executionStats).toMatchObject({ nReturned: 21, totalDocsExamined: 21 });
    expect(explained.executionStats.totalKeysExamined).toBe(21);
  });

  it('dedupes documents reached through several $in values', async () => {
    const inFilter = { searchTerms: { $in: ['mohamed', 'khalil', 'sara'] } };
    const all = await fast({ filter: inFilter });
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...(await reference({ filter: inFilter }))].sort());
    expect(await indexed.countDocuments(inFilter)).toBe(await plain.countDocuments(inFilter));
  });

  it('counts index entries without fetching a document', async () => {
    expect(await indexed.countDocuments(filter)).toBe(await plain.countDocuments(filter));
    expect(await indexed.countDocuments(filter, { skip: 5, limit: 50 })).toBe(50);
    const explained = await countStats(filter);
    expect(explained.queryPlanner.winningPlan.inputStage.stage).toBe('COUNT_SCAN');
    expect(explained.executionStats).toMatchObject({
      nCounted: await plain.countDocuments(filter),
      totalDocsExamined: 0,
    });
  });

  it('filters an extra $and clause lazily and still stops at the limit', async () => {
    const andFilter = { clinicId: 'c1', searchTerms: 'ahmed', $and: [{ searchTerms: 'khalil' }] };
    const all = await fast({ filter: andFilter });
    expect([...all].sort()).toEqual([...(await reference({ filter: andFilter }))].sort());
    expect(all.length).toBeGreaterThan(21);
    expect(await fast({ filter: andFilter, limit: 21 })).toEqual(all.slice(0, 21));
    // Both words' index regions are intersected: only documents having both are fetched.
    const explained = await stats({ filter: andFilter, limit: 21 });
    expect(explained.executionStats).toMatchObject({ nReturned: 21, totalDocsExamined: 21 });
    const reversed = {
      clinicId: 'c1',
      searchTerms: 'khalil',
      $and: [{ searchTerms: 'ahmed' }, { i: { $gte: 100 } }],
    };
    expect([...(await fast({ filter: reversed }))].sort()).toEqual(
      [...(await reference({ filter: reversed }))].sort(),
    );
    const none = { clinicId: 'c1', searchTerms: 'khalil', $and: [{ searchTerms: 'absent' }] };
    expect(await fast({ filter: none })).toEqual([]);
    // The intersected regions decide the filter alone: counted from index entries, no document read.
    for (const f of [
      andFilter,
      none,
      { ...andFilter, $and: [{ searchTerms: 'khalil' }, { searchTerms: 'omar' }] },
    ]) {
      expect(await indexed.countDocuments(f)).toBe(await plain.countDocuments(f));
      const counted = await db.command({ explain: { count: 'indexed', query: f } });
      expect(counted.executionStats).toMatchObject({
        nCounted: await plain.countDocuments(f),
        totalDocsExamined: 0,
      });
    }
  });

  it('intersects a rare word with a common one by jumping, not by walking the common one', async () => {
    const words = db.collection('words');
    await words.createIndex({ searchTerms: 1, clinicId: 1 });
    await words.insertMany(
      Array.from({ length: 5000 }, (_, i) => ({
        clinicId: 'c1',
        searchTerms: i % 500 === 7 ? ['common', 'rare'] : ['common'],
        i,
      })),
    );
    for (const filter of [
      { clinicId: 'c1', searchTerms: 'common', $and: [{ searchTerms: 'rare' }] },
      { clinicId: 'c1', searchTerms: 'rare', $and: [{ searchTerms: 'common' }] },
    ]) {
      const found = await words.find(filter).toArray();
      expect(found.map((d) => d.i)).toEqual(Array.from({ length: 10 }, (_, k) => k * 500 + 7));
      const explained = await db.command({ explain: { find: 'words', filter }, verbosity: 'executionStats' });
      expect(explained.executionStats.nReturned).toBe(10);
      expect(explained.executionStats.totalKeysExamined).toBeLessThan(200);
    }
  });

  it('sorts on a field the index does not give with a top-k selection', async () => {
    for (const q of [
      { filter, sort: { 'name.latin': 1 }, limit: 20 },
      { filter, sort: { 'name.latin': -1, i: 1 }, skip: 7, limit: 13 },
      // A multikey sort key: arrays sort by their smallest (largest descending) element.
      { filter: { clinicId: 'c2' }, sort: { searchTerms: -1, i: 1 }, skip: 3, limit: 11 },
    ]) {
      expect(await fast(q)).toEqual(await reference(q));
    }
  });
});

describe('sort given by the index order', () => {
  const range = { $gte: new Date(T0 + 100 * 60_000), $lt: new Date(T0 + 300 * 60_000) };

  it('walks an equality + range prefix in order and stops at skip + limit', async () => {
    const filter = { specialistId: 's1', start: range };
    // Single-field sorts leave ties in no promised order: compare the keys, and the sets.
    for (const sort of [{ start: 1 }, { start: -1 }] as const) {
      const got = await fastDocs({ filter, sort });
      const want = await plain
        .find(filter)
        .sort(sort as Sort)
        .toArray();
      expect(got.map((d) => d.start.getTime())).toEqual(want.map((d) => d.start.getTime()));
      expect(ids(got).sort()).toEqual(ids(want).sort());
    }
    for (const sort of [
      { start: 1, _id: 1 },
      { start: -1, i: -1 },
      { start: -1, _id: 1 },
    ]) {
      for (const [skip, limit] of [
        [0, 20],
        [40, 20],
        [0, 0],
      ] as const) {
        const q = { filter, sort, skip, limit };
        expect(await fast(q)).toEqual(await reference(q));
      }
    }
    const explained = await stats({ filter, sort: { start: 1 }, skip: 40, limit: 20 });
    expect(explained.queryPlanner.winningPlan.inputStage.indexName).toBe('specialistId_1_start_1');
    expect(explained.executionStats).toMatchObject({
      nReturned: 20,
      totalDocsExamined: 60,
      totalKeysExamined: 60,
    });
    // A trailing sort field the index lacks: only runs of equal `start` get sorted.
    const ties = await stats({ filter, sort: { start: 1, _id: 1 }, limit: 20 });
    expect(ties.executionStats.totalDocsExamined).toBeLessThan(40);
  });

  it('walks a whole index for an unfiltered sort, forwards or backwards', async () => {
    for (const q of [
      { filter: {}, sort: { at: -1 }, limit: 20 },
      { filter: {}, sort: { at: 1 }, skip: 5, limit: 20 },
      { filter: { clinicId: 'c3' }, sort: { at: -1 }, limit: 20 },
    ]) {
      expect(await fast(q)).toEqual(await reference(q));
    }
    expect((await stats({ filter: {}, sort: { at: -1 }, limit: 20 })).executionStats).toMatchObject({
      nReturned: 20,
      totalDocsExamined: 20,
    });
    expect((await stats({ filter: {}, sort: { at: 1 }, limit: 20 })).executionStats.totalDocsExamined).toBe(
      20,
    );
  });

  it('counts an equality + range from index entries', async () => {
    const filter = { specialistId: 's2', start: range };
    expect(await indexed.countDocuments(filter)).toBe(await plain.countDocuments(filter));
    const explained = await countStats(filter);
    expect(explained.queryPlanner.winningPlan.inputStage.stage).toBe('COUNT_SCAN');
    expect(explained.executionStats.totalDocsExamined).toBe(0);
  });
});

describe('lookups and cursors', () => {
  it('looks up each _id of an $in once', async () => {
    const some = (await plain.find({ i: { $in: [3, 30, 300] } }).toArray()).map((d) => d._id);
    const filter = { _id: { $in: [...some, some[0], new ObjectId()] } };
    expect([...(await fast({ filter }))].sort()).toEqual(some.map(String).sort());
    const explained = await stats({ filter });
    expect(explained.queryPlanner.winningPlan.stage).toBe('IDHACK');
    expect(explained.executionStats).toMatchObject({ totalKeysExamined: 4, totalDocsExamined: 3 });
  });

  it('pulls getMore batches from the index walk instead of a precomputed list', async () => {
    const coll = db.collection('lazy');
    await coll.insertMany(Array.from({ length: 500 }, (_, i) => ({ i, at: new Date(T0 + i) })));
    await coll.createIndex({ at: -1 });
    const cursor = coll.find({}).sort({ at: -1 }).batchSize(50);
    const first = [];
    for (let k = 0; k < 50; k++) first.push((await cursor.next())!.i);
    expect(first[0]).toBe(499);
    // A document deleted after the first batch was never read, so later batches skip it.
    await coll.deleteOne({ i: 10 });
    const rest = (await cursor.toArray()).map((d) => d.i);
    expect([...first, ...rest]).toEqual(
      Array.from({ length: 500 }, (_, k) => 499 - k).filter((i) => i !== 10),
    );
  });
});
