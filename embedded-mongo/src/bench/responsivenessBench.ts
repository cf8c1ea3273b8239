#!/usr/bin/env node
/**
 * `npm run bench:responsiveness -w embedded-mongo`: whether the store goes on answering while one client asks
 * for a lot of work. Audit-sized documents are inserted into a server in this process; then each long operation
 * (an index build, reads and writes that go through many documents) runs while a second client pings every 5 ms. Target: no ping
 * waits more than 100 ms. Prints a table; exits 1 when the target is missed. BENCH_DOCS sets the size.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Db, MongoClient, ObjectId } from 'mongodb';
import { EmbeddedServer } from '../server/EmbeddedServer.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 300_000);
const MAX_PING_MS = 100;
const PING_EVERY_MS = 5;

interface Measured {
  operation: string;
  wallMs: number;
  pings: number;
  slowestPingMs: number;
  longestBlockMs: number;
}

/** Runs `operation` while `pinger` pings the server every PING_EVERY_MS. */
async function measure(operation: string, pinger: Db, run: () => Promise<unknown>): Promise<Measured> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let done = false;
  let pings = 0;
  let slowestPingMs = 0;
  const pinging = (async () => {
    while (!done) {
      const sent = performance.now();
      await pinger.command({ ping: 1 });
      slowestPingMs = Math.max(slowestPingMs, performance.now() - sent);
      pings++;
      await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
    }
  })();
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  done = true;
  await pinging;
  delay.disable();
  return { operation, wallMs, pings, slowestPingMs, longestBlockMs: delay.max / 1e6 };
}

const server = await EmbeddedServer.start({ port: 0, log: () => {} });
const client = await new MongoClient(server.uri).connect();
const other = await new MongoClient(server.uri).connect();
try {
  const events = client.db('bench').collection('auditevents');
  await events.createIndex({ at: -1 });
  const now = Date.now();
  for (let i = 0; i < DOCS; i += 10_000) {
    await events.insertMany(
      Array.from({ length: Math.min(10_000, DOCS - i) }, (_, k) => ({
        at: new Date(now - (i + k) * 1000),
        actorId: new ObjectId(),
        action: 'read',
        resourceType: 'patient',
        patientIds: [new ObjectId(), new ObjectId()],
        outcome: 'success',
        ip: `10.0.${(i + k) % 250}.${(i + k) % 7}`,
      })),
      { ordered: false },
    );
  }
  const pinger = other.db('admin');
  const results = [
    await measure('nothing (baseline)', pinger, () => new Promise((resolve) => setTimeout(resolve, 1000))),
    await measure('createIndex {patientIds: 1, at: -1} (multikey)', pinger, () =>
      events.createIndex({ patientIds: 1, at: -1 }),
    ),
    await measure('find refusals, newest first (none: every event read)', pinger, () =>
      events.find({ outcome: 'denied' }).sort({ at: -1 }).limit(50).toArray(),
    ),
    await measure('countDocuments of a kind no event has', pinger, () =>
      events.countDocuments({ resourceType: 'consultation' }),
    ),
    await measure('find sorted by a field no index has, first 10', pinger, () =>
      events.find({}).sort({ ip: 1, at: -1 }).limit(10).toArray(),
    ),
    await measure('updateMany of the few events from one address (no index)', pinger, () =>
      events.updateMany({ ip: '10.0.1.1' }, { $set: { reviewed: true } }),
    ),
    await measure('deleteMany of the oldest sixth of the events (through the index)', pinger, () =>
      events.deleteMany({ at: { $lt: new Date(now - (DOCS * 5 * 1000) / 6) } }),
    ),
  ];
  const rows = results.map((r) => {
    const ok = r.slowestPingMs <= MAX_PING_MS;
    return { ...r, ok };
  });
  process.stdout.write(
    [
      `the store's answers to a client pinging every ${PING_EVERY_MS} ms while another asks for long work, ${DOCS} audit-sized documents (load average ${os.loadavg()[0]?.toFixed(2)})`,
      '| operation | wall ms | pings | slowest ping ms | longest event-loop block ms | target |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.operation} | ${r.wallMs.toFixed(0)} | ${r.pings} | ${r.slowestPingMs.toFixed(1)} | ${r.longestBlockMs.toFixed(1)} | ≤ ${MAX_PING_MS} ms ${r.ok ? 'PASS' : 'MISSED'} |`,
      ),
      '',
    ].join('\n'),
  );
  process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
} finally {
  await client.close();
  await other.close();
  await server.stop();
}
