#!/usr/bin/env node
/**
 * `npm run bench:compaction -w embedded-mongo`: what a compaction costs the clients of a busy store. Audit-sized
 * documents (the records service writes one per read of patient data) are inserted into a durable server in
 * this process, then the journal is compacted into a snapshot while the event-loop delay is sampled and a
 * client goes on writing (acknowledged, so each waits for its journal fsync) at 200 writes/s. Targets: the
 * longest event-loop block ≤ 50 ms, and those writes' p99 ≤ 100 ms (the records service's write target). Prints a table; exits 1 when one is missed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { EmbeddedServer } from '../server/EmbeddedServer.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 300_000);
const MAX_BLOCK_MS = 50;
// The records service's target for a write; a compaction should not push writes past it.
const MAX_WRITE_P99_MS = 100;
const WRITES_PER_SECOND = 200;

const auditEvent = (n: number) => ({
  at: new Date(),
  actorRole: 'clinic_doctor',
  action: 'read',
  resourceType: 'patient',
  resourceIds: [String(n)],
  outcome: 'success',
  ip: '127.0.0.1',
});

/** Writes one document every 1/WRITES_PER_SECOND s until `until` settles; latencies from when each was due. */
async function writeWhile(
  insert: (n: number) => Promise<unknown>,
  until: Promise<unknown>,
): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let running = true;
  void until.finally(() => {
    running = false;
  });
  const start = performance.now();
  for (let n = 0; running; n++) {
    const due = start + (n * 1000) / WRITES_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(insert(n).then(() => void latencies.push(performance.now() - due)));
  }
  await Promise.all(pending);
  return latencies.sort((a, b) => a - b);
}

const p99 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;

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
      Array.from({ length: Math.min(10_000, DOCS - i) }, (_, k) => auditEvent(i + k)),
      { ordered: false },
    );
  }
  const writes = client.db('bench').collection('writes');
  const insert = (n: number) => writes.insertOne(auditEvent(n));
  // The same writes for 3 s without a compaction: what they cost on this machine anyway.
  const baseline = await writeWhile(insert, new Promise((r) => setTimeout(r, 3000)));
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const compaction = server.persistence!.compact();
  const during = await writeWhile(insert, compaction);
  const cpu = process.cpuUsage(cpuBefore);
  delay.disable();
  const wallMs = Date.now() - started;
  const longestBlockMs = delay.max / 1e6;
  await client.close();
  await server.stop();
  const blockOk = longestBlockMs <= MAX_BLOCK_MS;
  const writesOk = p99(during) <= MAX_WRITE_P99_MS;
  const ok = blockOk && writesOk;
  process.stdout.write(
    [
      `compaction of ${DOCS} audit-sized documents into a snapshot (load average ${os.loadavg()[0]?.toFixed(2)})`,
      '| metric | value | target |',
      '| --- | --- | --- |',
      `| wall time | ${wallMs} ms | |`,
      `| CPU time of this process (compaction and writes) | ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms | |`,
      `| longest event-loop block | ${longestBlockMs.toFixed(1)} ms | ≤ ${MAX_BLOCK_MS} ms ${blockOk ? 'PASS' : 'MISSED'} |`,
      `| write p99 before the compaction (${WRITES_PER_SECOND}/s, ${baseline.length} writes) | ${p99(baseline).toFixed(1)} ms | |`,
      `| write p99 during the compaction (${during.length} writes) | ${p99(during).toFixed(1)} ms | ≤ ${MAX_WRITE_P99_MS} ms ${writesOk ? 'PASS' : 'MISSED'} |`,
      `| worst write during the compaction | ${(during.at(-1) ?? 0).toFixed(1)} ms | |`,
      '',
    ].join('\n'),
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
