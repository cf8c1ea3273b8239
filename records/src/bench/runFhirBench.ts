#!/usr/bin/env node
/**
 * `npm run bench:fhir -w records`: a system-level Bulk Data export (every type, the production sources and
 * runner) of BENCH_FHIR_CONSULTATIONS generated consultations (default 10,000; each with six vital signs, two
 * diagnoses and a signed note), and of a fifth of them to show that memory stays flat as the count grows. The
 * store is a fresh embedded one in a child process, in memory; each export runs in a child process of its own
 * (`fhirBenchExport.ts`), so its peak RSS is the export's alone. Prints a table and exits 1 when the full
 * export takes more than BENCH_FHIR_MAX_SECONDS (default 30).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePorts } from '@telemed/service-kit';
import { MongoClient } from 'mongodb';
import { tableLines } from './benchTable.js';
import type { FhirBenchExportResult } from './fhirBenchExport.js';
import { generateFhirBenchData } from './generateFhirBenchData.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const consultations = Number(process.env.BENCH_FHIR_CONSULTATIONS ?? 10_000);
const maxSeconds = Number(process.env.BENCH_FHIR_MAX_SECONDS ?? 30);
const perPatient = 5;

function log(line: string) {
  process.stderr.write(`[bench:fhir] ${line}\n`);
}

async function connectWithRetry(uri: string): Promise<MongoClient> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await MongoClient.connect(uri, { serverSelectionTimeoutMS: 1000 });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function measure(client: MongoClient, base: string, count: number): Promise<FhirBenchExportResult> {
  const dbName = `fhir_bench_${count}`;
  const started = Date.now();
  await generateFhirBenchData(client.db(dbName), { consultations: count, perPatient });
  log(`${count} consultations written in ${((Date.now() - started) / 1000).toFixed(1)} s; exporting`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...profileFlags(count), resolve(repoRoot, 'records/dist/bench/fhirBenchExport.js'), `${base}/${dbName}`],
    { cwd: repoRoot, maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as FhirBenchExportResult;
  if (result.status !== 'completed') throw new Error(`the export of ${count} ended ${result.status}`);
  // The next size starts from an empty store: the exports' files of this one are not kept.
  await client.db(dbName).dropDatabase();
  return result;
}

/** BENCH_PROFILE=<dir>: a CPU profile of each export process. */
function profileFlags(count: number): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=export-${count}.cpuprofile`] : [];
}

async function main(): Promise<number> {
  const [port] = (await freePorts(1)) as [number];
  const store: ChildProcess = spawn(
    process.execPath,
    ['embedded-mongo/dist/cli.js', '--port', String(port), '--noauth'],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `mongodb://127.0.0.1:${port}`;
  const client = await connectWithRetry(base);
  try {
    const sizes = [Math.max(1, Math.round(consultations / 5)), consultations];
    const results: [number, FhirBenchExportResult][] = [];
    for (const size of sizes) results.push([size, await measure(client, base, size)]);
    const rows = results.map(([size, r]) => [
      String(size),
      String(r.resources),
      `${(r.wallMs / 1000).toFixed(2)} s`,
      String(Math.round(r.resources / (r.wallMs / 1000))),
      `${Math.round(r.peakRssBytes / 2 ** 20)} MiB`,
    ]);
    const table = tableLines(['consultations', 'resources', 'wall time', 'resources/s', 'peak RSS'], rows);
    process.stdout.write(`${table.join('\n')}\n`);
    const full = results.at(-1)![1];
    process.stdout.write(
      `by type at ${consultations}: ${Object.entries(full.byType)
        .map(([type, n]) => `${type} ${n}`)
        .join(', ')}\n`,
    );
    if (full.wallMs > maxSeconds * 1000) {
      process.stdout.write(`FAIL: ${(full.wallMs / 1000).toFixed(1)} s is over the ${maxSeconds} s target\n`);
      return 1;
    }
    process.stdout.write(`OK: within the ${maxSeconds} s target\n`);
    return 0;
  } finally {
    await client.close();
    store.kill('SIGTERM');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
