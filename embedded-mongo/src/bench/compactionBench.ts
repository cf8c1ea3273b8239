#!/usr/bin/env node
/**
 * `npm run bench:compaction -w embedded-mongo`: how long a compaction holds the event loop. Audit-sized
 * documents (the records service writes one per read of patient data) are inserted into a durable server in
 * this process, then the journal is compacted into a snapshot while the event-loop delay is sampled. Queries
 * wait for at most the longest block; the target is 50 ms. Prints a table; exits 1 when the target is missed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { EmbeddedServer } from '../server/EmbeddedServer.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 300_000);
const MAX_BLOCK_MS = 50;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compaction-bench-'));
try {
  // A threshold no journal reaches here: the only compaction is the one measured.
  const server = await EmbeddedServer.start({
    port: 0,
    dbpath: dir,
    compactMinBytes: 1024 ** 4,
    log: () => {},
  });
  const client = await new MongoClient(server.uri).connect();
  const events = client.db('bench').collection('auditevents');
  await events.createIndex({ at: -1 });
  for (let i = 0; i < DOCS; i += 10_000) {
    await events.insertMany(
      Array.from({ length: Math.min(10_000, DOCS - i) }, (_, k) => ({
        at: new Date(),
        actorRole: 'clinic_doctor',
        action: 'read',
        resourceType: 'patient',
        resourceIds: [String(i + k)],
        outcome: 'success',
        ip: '127.0.0.1',
      })),
      { ordered: false },
    );
  }
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  await server.persistence!.compact();
  const cpu = process.cpuUsage(cpuBefore);
  delay.disable();
  const wallMs = Date.now() - started;
  const longestBlockMs = delay.max / 1e6;
  await client.close();
  await server.stop();
  const ok = longestBlockMs <= MAX_BLOCK_MS;
  process.stdout.write(
    [
      `compaction of ${DOCS} audit-sized documents into a snapshot (load average ${os.loadavg()[0]?.toFixed(2)})`,
      '| metric | value | target |',
      '| --- | --- | --- |',
      `| wall time | ${wallMs} ms | |`,
      `| CPU time of this process | ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms | |`,
      `| longest event-loop block | ${longestBlockMs.toFixed(1)} ms | ≤ ${MAX_BLOCK_MS} ms ${ok ? 'PASS' : 'MISSED'} |`,
      '',
    ].join('\n'),
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
