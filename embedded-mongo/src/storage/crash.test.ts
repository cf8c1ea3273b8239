import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, type ObjectId } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dbpath = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-crash-'));

const children = new Set<ChildProcess>();

afterAll(() => {
  // A failed assertion must not leave a server running.
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dbpath, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  uri: string;
}

/** Starts the real CLI from source (no stale build) and waits for its "listening on" line. */
function startCli(): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [
      '--conditions=@telemed/source',
      '--import',
      'tsx',
      'src/cli.ts',
      '--port',
      '0',
      '--dbpath',
      dbpath,
      '--noauth',
    ],
    // A small compaction threshold makes some kills land during a snapshot write.
    {
      cwd: packageDir,
      env: { ...process.env, EMBEDDED_MONGO_COMPACT_BYTES: String(256 * 1024) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  let stderr = '';
  proc.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on ([\d.]+):(\d+)/.exec(out);
      if (match) resolve({ proc, uri: `mongodb://${match[1]}:${match[2]}/` });
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
}

describe('crash recovery', () => {
  it('loses no acknowledged write when the server is killed with SIGKILL at random moments', async () => {
    const acked: ObjectId[] = [];
    let ackedIncrements = 0;
    for (let round = 0; round < 3; round++) {
      const child = await startCli();
      const client = new MongoClient(child.uri, { serverSelectionTimeoutMS: 2000, retryWrites: false });
      await client.connect();
      const c = client.db('crash').collection('writes');
      // Everything acknowledged before the previous kill must be here.
      const found = await c.countDocuments({ _id: { $in: acked } });
      expect(found).toBe(acked.length);
      const counter = await c.findOne({ _id: 'counter' as never });
      expect(counter?.n ?? 0).toBeGreaterThanOrEqual(ackedIncrements);
      ackedIncrements = counter?.n ?? 0;
      // The index, loaded from a snapshot and brought up to date from the journal, answers as a scan does.
      await c.createIndex({ round: 1 });
      for (let earlier = 0; earlier < round; earlier++) {
        const byIndex = c.find({ round: earlier }, { projection: { _id: 1 } });
        expect((await byIndex.explain()).queryPlanner.winningPlan.inputStage.indexName).toBe('round_1');
        const scanned = await c
          .find({ $expr: { $eq: ['$round', earlier] } }, { projection: { _id: 1 } })
          .toArray();
        expect((await byIndex.toArray()).map((doc) => String(doc._id)).sort()).toEqual(
          scanned.map((doc) => String(doc._id)).sort(),
        );
      }

      let running = true;
      const writer = async (batch: number) => {
        while (running) {
          const docs = Array.from({ length: batch }, () => ({ round, pad: 'p'.repeat(512) }));
          try {
            const result = await c.insertMany(docs);
            for (const id of Object.values(result.insertedIds)) acked.push(id as ObjectId);
            await c.updateOne({ _id: 'counter' as never }, { $inc: { n: 1 } }, { upsert: true });
            ackedIncrements++;
          } catch {
            return; // the server died: this write was never acknowledged
          }
        }
      };
      const writers = [writer(1), writer(1), writer(50)];
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 1200));
      child.proc.kill('SIGKILL');
      await exited(child.proc);
      running = false;
      await Promise.all(writers);
      await client.close(true);
    }
    expect(acked.length).toBeGreaterThan(100);

    const child = await startCli();
    const client = await new MongoClient(child.uri).connect();
    const c = client.db('crash').collection('writes');
    expect(await c.countDocuments({ _id: { $in: acked } })).toBe(acked.length);
    expect((await c.findOne({ _id: 'counter' as never }))?.n).toBeGreaterThanOrEqual(ackedIncrements);
    await client.close();
    child.proc.kill('SIGTERM');
    expect(await exited(child.proc)).toBe(0);
  });
});
