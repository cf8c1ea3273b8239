#!/usr/bin/env node
/**
 * `npm run bench:model -w records`: the latency this machine gives a service of the records bench's shape that
 * does nothing but spend a set amount of CPU per request. Its processes are those of the records bench: a
 * "store" process, and a cluster of HTTP workers; each request costs the workers some CPU, makes two round
 * trips to the store (a query, an audit write), each costing the store some CPU, and is answered with a page
 * of JSON. Requests come at a fixed rate from this process, as in the records bench (see pacedLoad).
 *
 * With the CPU per request the records bench measures (`CPU ms/req paced`), it separates what the records
 * service's code adds to the tail (collections, I/O, uneven work) from what the machine gives any code of
 * that cost; with lower costs, how much would have to go for a p99 target to be met here. A diagnosis, not a
 * target: it exits 0. Costs are scaled by each factor of MODEL_SCALES, alternating run by run, so a change in
 * the machine's state during the measurement falls on every cost alike.
 *
 * Knobs (environment): MODEL_SERVICE_US (workers' CPU per request, µs; 1600), MODEL_STORE_US (store's, µs;
 * 1000), MODEL_SCALES (1,0.85,0.7), MODEL_RATE (500 req/s), MODEL_RUNS (4), MODEL_SECONDS (8), MODEL_WORKERS (2).
 */
import { type ChildProcess, fork } from 'node:child_process';
import cluster from 'node:cluster';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePorts } from '@telemed/service-kit';
import { median, tableLines } from './benchTable.js';
import { cpuTimes, machineShares, machineTimes } from './machineStats.js';
import { pacedLoad } from './pacedLoad.js';

/** A positive number from the environment variable `name`, or `fallback` when it is unset. */
function numberFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0 && Number.isFinite(value)))
    throw new Error(`${name} must be a positive number, not "${process.env[name]}"`);
  return value;
}
/** A store message: the CPU it is to cost (µs), echoed back as the answer. */
const MESSAGE_BYTES = 4;

let iterationsPerUs = 1000;
/** Where the spinning loop's result goes, so that the compiler cannot drop the loop as unused. */
let sink = 0;

/** Spends `us` microseconds of CPU, at the rate `calibrate` measured. */
function burn(us: number): void {
  const iterations = us * iterationsPerUs;
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum += i & 7;
  sink = (sink + sum) & 0xffff;
}

/** Measures the loop's speed in CPU time, in calls of the size requests make, once it is compiled. */
function calibrate(): void {
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 200; i++) burn(300);
    const before = process.cpuUsage();
    for (let i = 0; i < 200; i++) burn(500);
    const used = process.cpuUsage(before);
    iterationsPerUs = (iterationsPerUs * 200 * 500) / Math.max(1, used.user + used.system);
  }
}

/** The model's processes end with it: when the process that forked them goes, so does their IPC channel. */
function endWithParent(): void {
  process.once('disconnect', () => process.exit(0));
}

function runStore(port: number): void {
  endWithParent();
  calibrate();
  const server = createTcpServer((socket) => {
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const whole = pending.length - (pending.length % MESSAGE_BYTES);
      if (whole === 0) return;
      for (let at = 0; at < whole; at += MESSAGE_BYTES) burn(pending.readUInt32LE(at));
      socket.write(pending.subarray(0, whole));
      pending = pending.subarray(whole);
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
}

/** One connection to the store; answers come back in the order of the messages. */
class StoreConnection {
  readonly #socket: Socket;
  readonly #waiting: Array<() => void> = [];
  #received = 0;

  constructor(port: number) {
    this.#socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => {
      this.#received += chunk.length;
      while (this.#received >= MESSAGE_BYTES) {
        this.#received -= MESSAGE_BYTES;
        this.#waiting.shift()?.();
      }
    });
  }

  roundTrip(storeUs: number): Promise<void> {
    const message = Buffer.allocUnsafe(MESSAGE_BYTES);
    message.writeUInt32LE(Math.round(storeUs), 0);
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#socket.write(message);
    });
  }
}

function runService(port: number, storePort: number, workers: number): void {
  if (cluster.isPrimary) {
    endWithParent();
    let listening = 0;
    for (let i = 0; i < workers; i++) {
      cluster.fork().on('listening', () => {
        if (++listening === workers) process.send?.('ready');
      });
    }
    return;
  }
  calibrate();
  const store = new StoreConnection(storePort);
  // A page of twenty patient summaries, about the size the patient search answers.
  const body = JSON.stringify({
    items: Array.from({ length: 20 }, (_, i) => ({
      id: `6560f0c1a2b3c4d5e6f7${String(i).padStart(4, '0')}`,
      mrn: `MRN-${100000 + i}`,
      name: { ar: 'محمد أحمد علي حسن', latin: 'Mohamed Ahmed Ali Hassan' },
      sex: 'male',
      birthDate: '1980-01-01',
      phone: '+201001234567',
    })),
    page: 1,
    limit: 20,
    hasMore: true,
  });
  createHttpServer(async (req, res) => {
    const match = /service=(\d+)&store=(\d+)/.exec(req.url ?? '');
    const serviceUs = Number(match?.[1] ?? 0);
    const storeUs = Number(match?.[2] ?? 0);
    burn(serviceUs * 0.4);
    await store.roundTrip(storeUs / 2);
    burn(serviceUs * 0.3);
    await store.roundTrip(storeUs / 2);
    burn(serviceUs * 0.3);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }).listen(port, '127.0.0.1');
}

interface RunResult {
  p50: number;
  p99: number;
  cpu: number[];
  busyPercent: number;
  stealPercent: number;
}

async function main(): Promise<void> {
  const serviceUs = numberFrom('MODEL_SERVICE_US', 1600);
  const storeUs = numberFrom('MODEL_STORE_US', 1000);
  const scales = (process.env.MODEL_SCALES ?? '1,0.85,0.7').split(',').map(Number);
  if (!scales.every((scale) => scale > 0 && Number.isFinite(scale)))
    throw new Error(
      `MODEL_SCALES must list positive numbers, as "1,0.85,0.7", not "${process.env.MODEL_SCALES}"`,
    );
  const rate = numberFrom('MODEL_RATE', 500);
  const runs = numberFrom('MODEL_RUNS', 4);
  const seconds = numberFrom('MODEL_SECONDS', 8);
  const workers = numberFrom('MODEL_WORKERS', 2);
  const [storePort, servicePort] = (await freePorts(2)) as [number, number];
  const self = fileURLToPath(import.meta.url);
  const started = (role: string, port: number): Promise<ChildProcess> => {
    const child = fork(self, [role], {
      env: { ...process.env, MODEL_PORT: String(port), MODEL_STORE_PORT: String(storePort) },
    });
    // A process that ends before the model does fails it: before it is ready, or after, when nothing would
    // answer the load any more.
    child.once('exit', (code, signal) => {
      if (!finishing) fail(new Error(`the model's ${role} exited (code ${code}, signal ${signal})`));
    });
    return new Promise((resolve) => child.once('message', () => resolve(child)));
  };
  const store = await started('store', storePort);
  const service = await started('service', servicePort);
  try {
    const baseUrl = `http://127.0.0.1:${servicePort}`;
    const requestsAt = (scale: number) => [
      {
        method: 'GET',
        path: `/work?service=${Math.round(serviceUs * scale)}&store=${Math.round(storeUs * scale)}`,
      },
    ];
    // Warm-up, not measured.
    await pacedLoad({ baseUrl, requests: requestsAt(1), rate, seconds: 3, connections: 50 });
    const results = new Map<number, RunResult[]>(scales.map((scale) => [scale, []]));
    for (let run = 0; run < runs; run++) {
      for (const scale of scales) {
        const cpuBefore = cpuTimes(store, service);
        const machineBefore = machineTimes();
        const paced = await pacedLoad({
          baseUrl,
          requests: requestsAt(scale),
          rate,
          seconds,
          connections: 50,
        });
        const cpuAfter = cpuTimes(store, service);
        const sent = Math.max(1, paced.completed + paced.errors);
        const result: RunResult = {
          p50: paced.p50,
          p99: paced.p99,
          cpu: cpuAfter.map((ms, i) => (ms - cpuBefore[i]!) / sent),
          ...machineShares(machineBefore, machineTimes()),
        };
        results.get(scale)!.push(result);
        process.stderr.write(
          `[model] scale ${scale}: p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, CPU ms/req ${result.cpu.map((v) => v.toFixed(2)).join(' / ')}, busy ${result.busyPercent.toFixed(0)}%, steal ${result.stealPercent.toFixed(1)}%\n`,
        );
      }
    }
    const header = [
      'cost scale',
      'CPU µs/req set (workers / store)',
      'CPU ms/req measured (store / workers / load)',
      'p50 ms',
      'p99 ms',
      'p99 of each run',
      'machine busy %',
      'steal % (max)',
    ];
    const rows = scales.map((scale) => {
      const all = results.get(scale)!;
      return [
        String(scale),
        `${Math.round(serviceUs * scale)} / ${Math.round(storeUs * scale)}`,
        [0, 1, 2].map((i) => median(all.map((r) => r.cpu[i]!)).toFixed(2)).join(' / '),
        median(all.map((r) => r.p50)).toFixed(1),
        median(all.map((r) => r.p99)).toFixed(1),
        all.map((r) => r.p99.toFixed(0)).join(' / '),
        median(all.map((r) => r.busyPercent)).toFixed(0),
        Math.max(...all.map((r) => r.stealPercent)).toFixed(1),
      ];
    });
    process.stdout.write(
      [
        `cost model of the records bench: ${workers} HTTP workers and a store process spending set CPU per request (two store round trips each), ${rate} req/s over 50 connections, ${runs} runs of ${seconds} s per cost, alternating; medians`,
        ...tableLines(header, rows),
        '',
      ].join('\n'),
    );
  } finally {
    finishing = true;
    store.kill();
    service.kill();
  }
}

let finishing = false;
function fail(error: unknown): never {
  process.stderr.write(`cost model failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}

const role = process.argv[2];
if (role === 'store') runStore(Number(process.env.MODEL_PORT));
else if (role === 'service')
  runService(
    Number(process.env.MODEL_PORT),
    Number(process.env.MODEL_STORE_PORT),
    numberFrom('MODEL_WORKERS', 2),
  );
else main().catch(fail);
