#!/usr/bin/env node
/**
 * `npm run bench -w records`: the records API under 50 concurrent clients, on the embedded store (a child
 * process with --dbpath; writes journaled before they are acknowledged, but for the audit events of reads, which
 * follow within 100 ms) holding 100k patients and 1M audit events. A data set written anew is folded into a
 * snapshot before anything is measured, as a site's store does in its first quiet spell.
 * Prints the median of several runs per scenario and exits 1 when a target is missed.
 *
 * Knobs (environment): BENCH_PATIENTS, BENCH_AUDIT_EVENTS, BENCH_CONSULTATIONS, BENCH_RUNS, BENCH_SECONDS, BENCH_WARMUP_SECONDS,
 * BENCH_RECORDS_WORKERS, BENCH_ONLY=<part of a scenario name>; for diagnosis: BENCH_RATE=<req/s> (pace at this
 * rate instead of the target), BENCH_PROFILE=<dir> (CPU profiles of the store and the records workers),
 * BENCH_TRACE_GC=1, BENCH_TIMELINE=1 (worst latency per 250 ms of the paced run, from the wall-clock time it
 * started), BENCH_STALLS=1 (each process's event-loop stalls and long collections, with the wall-clock time),
 * BENCH_DEBUG=1 (autocannon's own figures), BENCH_DATA_DIR=<dir> (keep the store's files there and use them again
 * on the next run, which then recovers them instead of writing the data set anew).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '@telemed/service-kit';
import autocannon from 'autocannon';
import { DateTime } from 'luxon';
import { MongoClient } from 'mongodb';
import { median, tableLines } from './benchTable.js';
import { type BenchData, benchPassword, generateBenchData } from './generateBenchData.js';
import { cpuTimes, machineShares, machineTimes } from './machineStats.js';
import { type PacedRequest, pacedLoad } from './pacedLoad.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const patients = Number(process.env.BENCH_PATIENTS ?? 100_000);
const auditEvents = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const consultations = Number(process.env.BENCH_CONSULTATIONS ?? 2000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const warmUpSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = 50;
// The records service as a busy site would run it on this 2-core machine: one worker per core.
const recordsWorkers = Number(process.env.BENCH_RECORDS_WORKERS ?? 2);

interface Scenario {
  name: string;
  /**
   * Targets: capacity of at least `minRps`, and p99 ≤ `maxP99Ms` while the clients offer `minRps` together.
   * Reads: 500 req/s and 50 ms. Sign-in is deliberately costly (argon2id) and has its own: 20 sign-ins a
   * second (six times a morning rush of 2,000 staff signing in within ten minutes) answered within 1 s.
   */
  maxP99Ms: number;
  minRps: number;
  requests: autocannon.Request[];
}

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** BENCH_STALLS=1: each child process reports its event-loop stalls and long collections (see stallMonitor). */
const stallFlags = process.env.BENCH_STALLS
  ? ['--import', new URL('./stallMonitor.js', import.meta.url).href]
  : [];
// The load generator's own stalls delay requests too.
if (process.env.BENCH_STALLS) await import('./stallMonitor.js');

let finishing = false;
let reportExit: (error: Error) => void = () => {};
/** Rejects when a child process ends before the benchmark does: nothing would answer any more. */
const childExited = new Promise<never>((_, reject) => {
  reportExit = reject;
});
childExited.catch(() => {});

/** A node process whose output (logs at LOG_LEVEL=warn: warnings and failures) goes to this one's stderr. */
function spawnNode(label: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [...stallFlags, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.on('exit', (code, signal) => {
    if (!finishing)
      reportExit(new Error(`the ${label} exited (code ${code}, signal ${signal}); its output is above`));
  });
  return child;
}

/** BENCH_PROFILE=<dir>: a CPU profile of each child process, in <dir>/store and <dir>/records. */
function profileFlags(name: string): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] : [];
}

async function main() {
  const kept = process.env.BENCH_DATA_DIR;
  if (kept) mkdirSync(kept, { recursive: true });
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'records-bench-'));
  const children: ChildProcess[] = [];
  try {
    await Promise.race([benchmark(dir, children), childExited]);
  } finally {
    finishing = true;
    for (const child of children.reverse()) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

async function benchmark(dir: string, children: ChildProcess[]): Promise<void> {
  const [mongoPort, recordsPort] = (await freePorts(2)) as [number, number];
  // The store runs with authentication on, as under npm start (the bench connects as its root user).
  const storePassword = randomBytes(24).toString('base64url');
  children.push(
    spawnNode(
      'embedded store',
      [
        ...profileFlags('store'),
        ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : []),
        'embedded-mongo/dist/cli.js',
        '--port',
        String(mongoPort),
        '--dbpath',
        join(dir, 'db'),
      ],
      {
        ...process.env,
        EMBEDDED_MONGO_ROOT_USERNAME: 'bench',
        EMBEDDED_MONGO_ROOT_PASSWORD: storePassword,
        // Checks for a quiet spell every 5 s instead of every minute: see the wait for compaction below.
        EMBEDDED_MONGO_COMPACT_INTERVAL_MS: '5000',
        // With BENCH_STALLS, journal flushes over 30 ms are reported too.
        ...(process.env.BENCH_STALLS ? { EMBEDDED_MONGO_SLOW_FLUSH_MS: '30' } : {}),
      },
    ),
  );
  const compacted = new Promise<void>((resolve) => {
    children[0]!.stderr?.on('data', (chunk: Buffer) => {
      if (/compacted \d+ documents/.test(chunk.toString())) resolve();
    });
  });
  const uri = `mongodb://bench:${storePassword}@127.0.0.1:${mongoPort}/telemed?authSource=admin`;
  const client = await connectWithRetry(uri);
  const started = Date.now();
  const dataFile = join(dir, 'bench-data.json');
  let data: BenchData;
  if (existsSync(dataFile)) {
    data = JSON.parse(readFileSync(dataFile, 'utf8')) as BenchData;
    log(`data set of an earlier run recovered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    data = await generateBenchData(client.db(), { patients, auditEvents, consultations }, log);
    log(`data written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    writeFileSync(dataFile, JSON.stringify(data));
    // A site's store folds its journal into a snapshot in its first quiet spell. The data set just written
    // would otherwise be folded during a scenario, once the journal grows past its threshold, and take a core
    // from whichever scenario runs then. What compaction costs the store's clients is measured on its own
    // (`npm run bench:compaction -w embedded-mongo`).
    const waiting = Date.now();
    log('waiting for the store to fold the data set into a snapshot …');
    // Unreferenced: once the store has compacted, the timer must not hold the benchmark's exit back.
    const folded = await Promise.race([
      compacted.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, 120_000, false).unref()),
    ]);
    log(
      folded
        ? `store compacted after ${((Date.now() - waiting) / 1000).toFixed(1)} s`
        : 'the store did not compact within 120 s; measuring anyway',
    );
  }
  await client.close();

  children.push(
    spawnNode('records service', [...profileFlags('records'), 'records/dist/main.js'], {
      ...process.env,
      MONGODB_URI: uri,
      RECORDS_PORT: String(recordsPort),
      RECORDS_WORKERS: String(recordsWorkers),
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'warn',
    }),
  );
  const base = `http://127.0.0.1:${recordsPort}`;
  log('waiting for the records service to build its indexes …');
  const indexing = Date.now();
  await waitFor(`${base}/readyz`, 600_000);
  log(`records service ready after ${((Date.now() - indexing) / 1000).toFixed(1)} s`);

  const login = async (username: string) => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: benchPassword }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const doctorToken = await login(data.clinicDoctor);
  const specialistToken = await login(data.specialist);
  const consultationIds: string[] = [];
  const openConsultation = async (appointmentId: string) => {
    const res = await fetch(`${base}/api/appointments/${appointmentId}/consultation`, {
      headers: { authorization: `Bearer ${doctorToken}` },
    });
    if (!res.ok) throw new Error(`consultation of ${appointmentId}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  for (let i = 0; i < data.consultationAppointmentIds.length; i += 20) {
    const batch = data.consultationAppointmentIds.slice(i, i + 20);
    consultationIds.push(...(await Promise.all(batch.map(openConsultation))));
  }
  const today = DateTime.now().setZone('Africa/Cairo').toISODate();
  const auth = (token: string) => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  });

  const scenarios: Scenario[] = [
    {
      // Deliberately costly (argon2id, 19 MiB and ~30 ms of CPU per check).
      name: 'sign-in (argon2id)',
      maxP99Ms: 1000,
      minRps: 20,
      requests: [
        {
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: data.clinicDoctor, password: benchPassword }),
        },
      ],
    },
    {
      name: 'patient search by name',
      maxP99Ms: 50,
      minRps: 500,
      requests: data.nameWords.map((q) => ({
        method: 'GET' as const,
        path: `/api/patients?q=${encodeURIComponent(q)}&limit=20`,
        headers: auth(doctorToken),
      })),
    },
    {
      name: 'patient search by MRN',
      maxP99Ms: 50,
      minRps: 500,
      requests: data.mrns
        .filter((_, i) => i % 3 === 0)
        .slice(0, 20)
        .map((mrn) => ({
          method: 'GET' as const,
          path: `/api/patients?q=${mrn}`,
          headers: auth(doctorToken),
        })),
    },
    {
      name: "specialist's appointments today",
      maxP99Ms: 50,
      minRps: 500,
      requests: [{ method: 'GET', path: `/api/appointments?date=${today}`, headers: auth(specialistToken) }],
    },
    {
      name: 'write a vital-signs entry',
      maxP99Ms: 100,
      minRps: 300,
      requests: consultationIds.map((id) => ({
        method: 'POST' as const,
        path: `/api/consultations/${id}/vital-signs`,
        headers: auth(doctorToken),
        body: JSON.stringify({
          kind: 'heart-rate',
          value: 84,
          unit: '/min',
          takenAt: new Date().toISOString(),
        }),
      })),
    },
  ];

  const rows: string[][] = [];
  let failed = false;
  const only = process.env.BENCH_ONLY;
  const [store, records] = children as [ChildProcess, ChildProcess];
  const capacityOf = async (scenario: Scenario) => {
    const cpuBefore = cpuTimes(store, records);
    const result = await autocannon({
      url: base,
      connections,
      duration: seconds,
      requests: scenario.requests,
    });
    const cpuAfter = cpuTimes(store, records);
    const errors = result.errors + result.non2xx + result.timeouts;
    if (process.env.BENCH_DEBUG) log(JSON.stringify({ requests: result.requests, latency: result.latency }));
    if (errors > 0)
      log(`${scenario.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    const cpuPerRequest = cpuAfter.map((ms, i) => (ms - cpuBefore[i]!) / Math.max(1, result.requests.total));
    return { rps: result.requests.average, errors, cpuPerRequest };
  };
  const latencyAt = async (scenario: Scenario) => {
    const cpuBefore = cpuTimes(store, records);
    const machineBefore = machineTimes();
    const result = await pacedLoad({
      baseUrl: base,
      requests: scenario.requests as PacedRequest[],
      rate: Number(process.env.BENCH_RATE ?? scenario.minRps),
      seconds,
      connections,
    });
    const cpuAfter = cpuTimes(store, records);
    const machineAfter = machineTimes();
    if (result.errors > 0)
      log(
        `${scenario.name}: ${result.errors} failed requests at ${scenario.minRps} req/s (by status: ${JSON.stringify(result.failures)})`,
      );
    if (result.resent > 0)
      log(
        `${scenario.name}: ${result.resent} requests sent again after the server closed an idle connection`,
      );
    const sent = Math.max(1, result.completed + result.errors);
    return {
      ...result,
      cpuPerRequest: cpuAfter.map((ms, i) => (ms - cpuBefore[i]!) / sent),
      ...machineShares(machineBefore, machineAfter),
    };
  };
  for (const scenario of scenarios.filter((s) => !only || s.name.includes(only))) {
    const capacity: number[] = [];
    const p50s: number[] = [];
    const p99s: number[] = [];
    const achieved: number[] = [];
    const cpu: number[][] = [];
    const pacedCpu: number[][] = [];
    const busy: number[] = [];
    const steal: number[] = [];
    const iowait: number[] = [];
    let errors = 0;
    // Warm-up, not measured: the workers' JIT, connection pools and caches settle on this route first.
    await autocannon({ url: base, connections, duration: warmUpSeconds, requests: scenario.requests });
    for (let run = 0; run < runs; run++) {
      // Capacity: the 50 clients send as fast as answers come back.
      const open = await capacityOf(scenario);
      capacity.push(open.rps);
      cpu.push(open.cpuPerRequest);
      // Latency: the 50 clients together offer the target rate, as a busy day would.
      const paced = await latencyAt(scenario);
      p50s.push(paced.p50);
      p99s.push(paced.p99);
      achieved.push(paced.rps);
      pacedCpu.push(paced.cpuPerRequest);
      busy.push(paced.busyPercent);
      steal.push(paced.stealPercent);
      iowait.push(paced.iowaitPercent);
      errors += open.errors + paced.errors;
    }
    const rps = median(capacity);
    const p99 = median(p99s);
    const ok = p99 <= scenario.maxP99Ms && rps >= scenario.minRps && errors === 0;
    failed ||= !ok;
    rows.push([
      scenario.name,
      rps.toFixed(0),
      `${median(achieved).toFixed(0)}/${scenario.minRps}`,
      median(p50s).toFixed(1),
      p99.toFixed(1),
      p99s.map((v) => v.toFixed(0)).join(' / '),
      String(errors),
      [0, 1, 2].map((i) => median(cpu.map((c) => c[i]!)).toFixed(2)).join(' / '),
      [0, 1, 2].map((i) => median(pacedCpu.map((c) => c[i]!)).toFixed(2)).join(' / '),
      `${median(busy).toFixed(0)} / ${Math.max(...steal).toFixed(1)} / ${Math.max(...iowait).toFixed(1)}`,
      `≥ ${scenario.minRps} req/s; p99 ≤ ${scenario.maxP99Ms} ms at ${scenario.minRps} req/s`,
      ok ? 'ok' : 'MISSED',
    ]);
    log(`${scenario.name}: ${rows.at(-1)!.slice(1).join(' | ')}`);
  }
  const header = [
    'scenario',
    'capacity req/s',
    'paced req/s',
    'p50 ms',
    'p99 ms',
    'p99 of each run',
    'errors',
    'CPU ms/req store / records / load',
    'CPU ms/req paced',
    'busy / steal / iowait % paced',
    'target',
    '',
  ];
  const [load1, load5] = loadavg();
  process.stdout.write(
    [
      `records API (RECORDS_WORKERS=${recordsWorkers}), ${connections} concurrent clients, ${patients} patients, ${auditEvents} audit events, vital signs written to ${consultations} consultations, median of ${runs} runs of ${seconds} s; load average ${load1?.toFixed(2)} ${load5?.toFixed(2)} at the end`,
      `each scenario warmed up for ${warmUpSeconds} s first; capacity: closed loop, as fast as answers return; p50/p99: requests sent at the target rate (open loop, over at most 50 connections), timed from when each was due`,
      'CPU ms/req: CPU time of the store, the records service and the load generator per request, at capacity and in the paced run',
      "busy / steal / iowait: shares of the machine's CPU time in the paced runs (/proc/stat): running anything (median; compare `npm run bench:model -w records`), and the largest taken by the hypervisor (steal: every process stalls) and spent waiting for the disk",
      ...tableLines(header, rows),
      '',
    ].join('\n'),
  );
  process.exitCode = failed ? 1 : 0;
}

/** Connects once the store listens, which it does once it has recovered its files (minutes for a kept data set). */
async function connectWithRetry(uri: string): Promise<MongoClient> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      return await MongoClient.connect(uri, { serverSelectionTimeoutMS: 2000 });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
