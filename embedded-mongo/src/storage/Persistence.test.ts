import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedServer } from '../server/EmbeddedServer.js';
import { readRecordFile } from './recordFile.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function withServer<T>(
  dbpath: string,
  fn: (client: MongoClient, server: EmbeddedServer) => Promise<T>,
  compactMinBytes?: number,
  journalCommitIntervalMs?: number,
): Promise<T> {
  const server = await EmbeddedServer.start({
    port: 0,
    dbpath,
    ...(compactMinBytes ? { compactMinBytes } : {}),
    ...(journalCommitIntervalMs ? { journalCommitIntervalMs } : {}),
  });
  const client = await new MongoClient(server.uri).connect();
  try {
    return await fn(client, server);
  } finally {
    await client.close();
    await server.stop();
  }
}

describe('durable store', () => {
  it('keeps documents, updates, deletes, indexes and catalog changes across restarts', async () => {
    const dbpath = tempDir();
    await withServer(dbpath, async (client) => {
      const c = client.db('app').collection('patients');
      await c.createIndex({ email: 1 }, { unique: true });
      await c.insertMany(Array.from({ length: 100 }, (_, i) => ({ email: `p${i}@x`, n: i })));
      await c.updateMany({ n: { $lt: 10 } }, { $set: { flagged: true } });
      await c.deleteMany({ n: { $gte: 90 } });
      await client.db('app').collection('tmp').insertOne({ a: 1 });
      await client.db('app').collection('tmp').rename('kept');
      await client.db('gone').collection('x').insertOne({ a: 1 });
      await client.db('gone').dropDatabase();
    });
    await withServer(dbpath, async (client) => {
      const c = client.db('app').collection('patients');
      expect(await c.countDocuments()).toBe(90);
      expect(await c.countDocuments({ flagged: true })).toBe(10);
      expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'email_1']);
      await expect(c.insertOne({ email: 'p1@x' })).rejects.toMatchObject({ code: 11000 });
      expect(await client.db('app').collection('kept').countDocuments()).toBe(1);
      const names = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
      expect(names).not.toContain('gone');
    });
  });

  it('ignores a torn last journal record and truncates it', async () => {
    const dbpath = tempDir();
    await withServer(dbpath, async (client) => {
      await client
        .db('app')
        .collection('c')
        .insertMany([{ a: 1 }, { a: 2 }]);
    });
    const journal = fs.readdirSync(dbpath).find((f) => f.startsWith('journal-'))!;
    const file = path.join(dbpath, journal);
    const goodSize = fs.statSync(file).size;
    // A record header promising 4000 bytes followed by only a few: the write the crash cut short.
    const torn = Buffer.alloc(20);
    torn.writeUInt32LE(4000, 0);
    fs.appendFileSync(file, torn);
    await withServer(dbpath, async (client, server) => {
      expect(server.persistence?.report.tornBytes).toBe(20);
      expect(await client.db('app').collection('c').countDocuments()).toBe(2);
      await client.db('app').collection('c').insertOne({ a: 3 });
    });
    expect(fs.statSync(file).size).toBeGreaterThan(goodSize);
    await withServer(dbpath, async (client) => {
      expect(await client.db('app').collection('c').countDocuments()).toBe(3);
    });
  });

  it('compacts into a snapshot, drops covered journals, and recovers snapshot + newer journal', async () => {
    const dbpath = tempDir();
    await withServer(
      dbpath,
      async (client, server) => {
        const c = client.db('app').collection('c');
        await c.createIndex({ k: 1 });
        // About 3 MiB: the snapshot holds it in several blocks of documents.
        await c.insertMany(Array.from({ length: 3000 }, (_, i) => ({ k: i, pad: 'x'.repeat(1000) })));
        await server.persistence!.compact();
        expect(server.persistence!.generation).toBeGreaterThan(0);
        await c.updateOne({ k: 5 }, { $set: { pad: 'changed' } });
        await c.deleteOne({ k: 6 });
      },
      64 * 1024,
    );
    const files = fs.readdirSync(dbpath);
    expect(files.filter((f) => f.startsWith('snapshot-'))).toHaveLength(1);
    const snapGen = Number(files.find((f) => f.startsWith('snapshot-'))!.slice(9, 19));
    for (const f of files.filter((name) => name.startsWith('journal-'))) {
      expect(Number(f.slice(8, 18))).toBeGreaterThanOrEqual(snapGen);
    }
    // A leftover from a compaction that died half way must be ignored.
    fs.writeFileSync(
      path.join(dbpath, `snapshot-${String(snapGen + 1).padStart(10, '0')}.snap.tmp`),
      'partial',
    );
    await withServer(dbpath, async (client, server) => {
      expect(server.persistence!.report.snapshotGeneration).toBe(snapGen);
      const c = client.db('app').collection('c');
      expect(await c.countDocuments()).toBe(2999);
      const ks = (await c.find({}, { projection: { k: 1 } }).toArray()).map((d) => d.k as number);
      expect(ks.sort((a, b) => a - b)).toEqual(
        Array.from({ length: 3000 }, (_, i) => i).filter((k) => k !== 6),
      );
      expect((await c.findOne({ k: 5 }))?.pad).toBe('changed');
      expect(
        (await c.find({ k: 7 }).explain('executionStats')).queryPlanner.winningPlan.inputStage.indexName,
      ).toBe('k_1');
    });
    expect(fs.readdirSync(dbpath).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('rebuilds multikey, compound, sparse and unique indexes after recovery, and they answer like before', async () => {
    const dbpath = tempDir();
    const docs = Array.from({ length: 200 }, (_, i) => ({
      code: `c${i}`,
      tags: [`t${i % 3}`, `u${i % 5}`],
      who: { name: `n${i % 7}` },
      at: new Date(1_700_000_000_000 + i * 1000),
      ...(i % 2 === 0 ? { opt: i } : {}),
    }));
    const queries = [
      { tags: 't1' },
      { 'who.name': 'n3', at: { $gte: new Date(1_700_000_050_000) } },
      { opt: { $gt: 150 } },
      { code: 'c42' },
    ];
    const answers = async (client: MongoClient) => {
      const c = client.db('app').collection('idx');
      return Promise.all(
        queries.map(async (q) =>
          (await c.find(q, { projection: { _id: 0, code: 1 } }).toArray()).map((d) => d.code),
        ),
      );
    };
    let before: string[][] = [];
    await withServer(
      dbpath,
      async (client, server) => {
        const c = client.db('app').collection('idx');
        await c.createIndex({ code: 1 }, { unique: true });
        await c.createIndex({ tags: 1 });
        await c.createIndex({ 'who.name': 1, at: -1 });
        await c.createIndex({ opt: 1 }, { sparse: true });
        await c.insertMany(docs.slice(0, 100));
        await server.persistence!.compact();
        await c.insertMany(docs.slice(100));
        await c.updateMany({ tags: 'u4' }, { $set: { tags: ['t1'] } });
        await c.deleteMany({ code: { $in: ['c10', 'c11'] } });
        before = await answers(client);
      },
      64 * 1024,
    );
    await withServer(dbpath, async (client) => {
      expect(await answers(client)).toEqual(before);
      expect(before.every((codes) => codes.length > 0)).toBe(true);
      await expect(client.db('app').collection('idx').insertOne({ code: 'c42' })).rejects.toMatchObject({
        code: 11000,
      });
    });
  });

  it('compacts in a quiet spell; a busy store only once its journal is twice the threshold', async () => {
    const threshold = 64 * 1024;
    const server = await EmbeddedServer.start({
      port: 0,
      dbpath: tempDir(),
      compactMinBytes: threshold,
      compactIntervalMs: 150,
      log: () => {},
    });
    const client = await new MongoClient(server.uri).connect();
    const persistence = server.persistence!;
    const events = client.db('app').collection('events');
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      // Past the threshold, then busy (well over 20 changes a second) for four check intervals.
      await events.insertMany(Array.from({ length: 70 }, (_, n) => ({ n, text: 'x'.repeat(1000) })));
      expect(persistence.journalBytes).toBeGreaterThan(threshold);
      for (let i = 0; i < 40; i++) {
        await events.insertMany(Array.from({ length: 10 }, (_, n) => ({ small: n })));
        await wait(10);
      }
      expect(persistence.journalBytes).toBeLessThan(2 * threshold);
      expect(persistence.generation).toBe(0);
      // Quiet: a check soon compacts.
      for (let waited = 0; waited < 3000 && persistence.generation === 0; waited += 50) await wait(50);
      expect(persistence.generation).toBe(1);
      // Busy again, well past twice the threshold: compacted without waiting for quiet.
      const snapshotGeneration = persistence.generation;
      for (let i = 0; i < 40 && persistence.generation === snapshotGeneration; i++) {
        await events.insertMany(Array.from({ length: 10 }, (_, n) => ({ n, text: 'y'.repeat(1000) })));
      }
      expect(persistence.generation).toBe(snapshotGeneration + 1);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('refuses a dbpath locked by a live process', async () => {
    const dbpath = tempDir();
    const first = await EmbeddedServer.start({ port: 0, dbpath });
    try {
      fs.writeFileSync(path.join(dbpath, 'mongod.lock'), `${process.ppid}\n`);
      await expect(EmbeddedServer.start({ port: 0, dbpath })).rejects.toThrow(/in use/);
    } finally {
      fs.writeFileSync(path.join(dbpath, 'mongod.lock'), `${process.pid}\n`);
      await first.stop();
    }
  });
});

describe('write concern', () => {
  const journals = (dbpath: string) =>
    fs
      .readdirSync(dbpath)
      .filter((file) => file.startsWith('journal-'))
      .map((file) => path.join(dbpath, file));
  /** Bytes of the journal on disk (what a crash would leave). */
  const journalOnDisk = (dbpath: string) =>
    journals(dbpath).reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const recordsOnDisk = (dbpath: string) =>
    journals(dbpath).reduce((sum, file) => sum + readRecordFile(file, () => {}).records, 0);

  it('acknowledges w: 1 before the journal and journals it within the commit interval; the default and j: true wait', async () => {
    const dbpath = tempDir();
    await withServer(
      dbpath,
      async (client) => {
        const coll = client.db('wc').collection('events');
        await coll.insertOne({ n: 0 });
        const before = journalOnDisk(dbpath);

        await coll.insertOne({ n: 1 }, { writeConcern: { w: 1 } });
        expect(journalOnDisk(dbpath)).toBe(before);
        // Applied already: readable at once.
        expect(await coll.countDocuments({ n: 1 })).toBe(1);
        const deadline = Date.now() + 5000;
        while (journalOnDisk(dbpath) === before && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        const flushed = journalOnDisk(dbpath);
        expect(flushed).toBeGreaterThan(before);

        await coll.insertOne({ n: 2 }, { writeConcern: { w: 1, j: true } });
        expect(journalOnDisk(dbpath)).toBeGreaterThan(flushed);
        const afterJournaled = journalOnDisk(dbpath);
        await coll.insertOne({ n: 3 });
        expect(journalOnDisk(dbpath)).toBeGreaterThan(afterJournaled);

        // The journal is written in order: a journaled write takes the earlier w: 1 writes to disk with it.
        const records = recordsOnDisk(dbpath);
        await coll.insertOne({ n: 4 }, { writeConcern: { w: 1 } });
        expect(recordsOnDisk(dbpath)).toBe(records);
        await coll.insertOne({ n: 5 });
        expect(recordsOnDisk(dbpath)).toBe(records + 2);
      },
      undefined,
      300,
    );
    // Everything acknowledged came back after the restart.
    await withServer(dbpath, async (client) => {
      expect(await client.db('wc').collection('events').countDocuments()).toBe(6);
    });
  });
});
