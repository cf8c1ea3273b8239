/**
 * `npm run bench -w sfu`: synthetic consultations (clinic + specialist, each sending 1.5 Mb/s video and
 * 40 kb/s audio over real ICE/DTLS/SRTP on loopback and receiving the other's) through the werift engine.
 *
 * The clients run in a child process (`loadGenerator.ts`), so this process holds only the engine and
 * its CPU figure is the engine's alone. Loss is counted by the receivers from the forwarded streams'
 * sequence numbers; latency from the send time in a decrypted sample of packets, on the generator's clock
 * (send → receive of the forwarded copy: an upper bound of the SFU's added latency).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import { type EventLoopUtilization, monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadMediasoupEngine } from '../engine/mediasoup/MediasoupEngine.js';
import type { Router } from '../engine/Router.js';
import type { WebRtcTransport } from '../engine/WebRtcTransport.js';
import type { Worker } from '../engine/Worker.js';
import { randomSsrc } from '../engine/werift/rtpUtils.js';
import { ThreadedWeriftEngine } from '../engine/werift/threaded/ThreadedWeriftEngine.js';
import { ThreadedWorker } from '../engine/werift/threaded/ThreadedWorker.js';
import { WeriftEngine } from '../engine/werift/WeriftEngine.js';
import {
  audioProducerParameters,
  consumerCapabilities,
  videoProducerParameters,
  waitFor,
} from '../testing/loopbackHarness.js';
import type { EngineToGenerator, GeneratorToEngine } from './benchProtocolTypes.js';

const TARGET_CONSULTATIONS = Number(process.env.BENCH_CONSULTATIONS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const WARMUP_MS = 2000;
/** `threads` (default): a werift worker thread per core, as the SFU runs; `inprocess`: one worker on the main thread. */
const ENGINE_MODE = process.env.BENCH_ENGINE === 'inprocess' ? 'inprocess' : 'threads';
const WORKERS = ENGINE_MODE === 'threads' ? availableParallelism() : 1;
const MAX_LOSS_PCT = 1;
const MAX_P99_MS = 20;
/** When set, the engine process writes a CPU profile of each measurement window to this path prefix. */
const PROFILE = process.env.BENCH_PROFILE;

interface Measurement {
  consultations: number;
  /** The generator could not keep its schedule, so the engine saw less than the nominal load. */
  generatorLimited: boolean;
  lossPct: number;
  p50: number;
  p99: number;
  pps: number;
  /** Probe padding received (the prober's SSRC), kb/s: counted apart from the forwarded media. */
  paddingKbps: number;
  engineCpu: number;
  generatorCpu: number;
  loopDelayP99: number;
  /** The machine's 1-minute load average when the window opened (others share this machine). */
  load1: number;
  /** The worst engine thread's event-loop delay p99 in the window: how long a datagram can wait unread. */
  threadLoopDelayP99: number;
  /** The busiest engine thread's event-loop utilization in the window (1 = saturated). */
  maxElu: number;
  memPerConsumerKb: number;
}

/** The generator child and a request/response layer over its IPC channel. */
class Generator {
  readonly child: ChildProcess;
  readonly #waiters = new Map<string, (m: GeneratorToEngine) => void>();
  #failure: Error | undefined;

  constructor() {
    const entry = fileURLToPath(new URL('./loadGenerator.ts', import.meta.url));
    // The child gets the same loaders (tsx, source conditions) but never the profiler flags.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
    this.child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: GeneratorToEngine) => {
      if (m.type === 'error') this.#failure = new Error(`load generator: ${m.message}`);
      const key = 'peerId' in m ? `${m.type}:${m.peerId}` : m.type;
      const waiter = this.#waiters.get(key);
      if (waiter) {
        this.#waiters.delete(key);
        waiter(m);
      }
    });
  }

  post(message: EngineToGenerator): void {
    this.child.send(message);
  }

  expect<T extends GeneratorToEngine['type']>(
    key: string,
    timeoutMs = 15_000,
  ): Promise<Extract<GeneratorToEngine, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(key);
        reject(this.#failure ?? new Error(`load generator did not answer ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(key, (m) => {
        clearTimeout(timer);
        resolve(m as Extract<GeneratorToEngine, { type: T }>);
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.post({ type: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

let nextPeerId = 0;

async function connectRemotePeer(
  router: Router,
  generator: Generator,
): Promise<{ transport: WebRtcTransport; peerId: number }> {
  const transport = await router.createWebRtcTransport({ listenIp: '127.0.0.1' });
  const peerId = nextPeerId++;
  const created = generator.expect<'peer-created'>(`peer-created:${peerId}`);
  const connected = generator.expect<'peer-connected'>(`peer-connected:${peerId}`);
  generator.post({
    type: 'peer',
    peerId,
    remote: {
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    },
  });
  await transport.connect({ dtlsParameters: (await created).dtlsParameters });
  await connected;
  await waitFor(() => transport.dtlsState === 'connected', 10_000, 'server DTLS connected');
  return { transport, peerId };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function run(consultations: number): Promise<Measurement> {
  const engine = ENGINE_MODE === 'threads' ? new ThreadedWeriftEngine() : new WeriftEngine();
  const workers: Worker[] = [];
  const span = Math.floor(3000 / WORKERS);
  for (let i = 0; i < WORKERS; i++) {
    workers.push(
      await engine.createWorker({ rtcMinPort: 45000 + i * span, rtcMaxPort: 45000 + (i + 1) * span - 1 }),
    );
  }
  const generator = new Generator();
  try {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    for (let c = 0; c < consultations; c++) {
      // Rooms spread over the workers round-robin, as the SFU's room registry places them.
      const router = await (workers[c % WORKERS] as Worker).createRouter();
      const participants = [];
      for (let p = 0; p < 2; p++) {
        const sender = await connectRemotePeer(router, generator);
        const receiver = await connectRemotePeer(router, generator);
        const videoSsrc = randomSsrc();
        const audioSsrc = randomSsrc();
        const video = await sender.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', ssrc: videoSsrc }),
        });
        const audio = await sender.transport.produce({
          kind: 'audio',
          rtpParameters: audioProducerParameters({ mid: '1', ssrc: audioSsrc }),
        });
        participants.push({ sender, receiver, videoSsrc, audioSsrc, producerIds: [video.id, audio.id] });
      }
      const [clinic, specialist] = participants as [(typeof participants)[0], (typeof participants)[0]];
      for (const [from, to] of [
        [clinic, specialist],
        [specialist, clinic],
      ] as const) {
        for (const producerId of from.producerIds) {
          await to.receiver.transport.consume({
            producerId,
            rtpCapabilities: consumerCapabilities(router),
            paused: false,
          });
        }
      }
      for (const p of participants) {
        generator.post({
          type: 'participant',
          consultation: c,
          sendPeerId: p.sender.peerId,
          recvPeerId: p.receiver.peerId,
          videoSsrc: p.videoSsrc,
          audioSsrc: p.audioSsrc,
        });
      }
    }
    generator.post({ type: 'start' });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const rssLoaded = process.memoryUsage().rss;
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const profiler = PROFILE ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const load1 = loadavg()[0] ?? 0;
    for (const w of workers) if (w instanceof ThreadedWorker) await w.eventLoopDelay();
    const eluStart = workers.map((w) => (w instanceof ThreadedWorker ? w.eventLoopUtilization() : undefined));
    const cpuStart = process.cpuUsage();
    const t0 = performance.now();
    const window = generator.expect<'window'>('window', MEASURE_MS + 30_000);
    generator.post({ type: 'measure', on: true });
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    generator.post({ type: 'measure', on: false });
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpuStart);
    const elu = workers.map((w, i) =>
      w instanceof ThreadedWorker
        ? w.eventLoopUtilization(eluStart[i] as EventLoopUtilization).utilization
        : 0,
    );
    loop.disable();
    const threadDelays = await Promise.all(
      workers.map((w) => (w instanceof ThreadedWorker ? w.eventLoopDelay() : undefined)),
    );
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(`${PROFILE}-${consultations}.cpuprofile`, JSON.stringify(profile));
      profiler.disconnect();
    }
    const w = await window;
    const latencies = Float64Array.from(w.latenciesMs).sort();
    return {
      consultations,
      lossPct: w.expected > 0 ? Math.max(0, ((w.expected - w.received) / w.expected) * 100) : 100,
      generatorLimited: w.lagSkips > 0,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      pps: (w.received / w.elapsedMs) * 1000,
      paddingKbps: (w.paddingBytes * 8) / w.elapsedMs,
      engineCpu: (cpu.user + cpu.system) / 1000 / elapsed,
      generatorCpu: (w.cpuUserMs + w.cpuSystemMs) / w.elapsedMs,
      loopDelayP99: loop.percentile(99) / 1e6,
      maxElu: Math.max(0, ...elu),
      load1,
      threadLoopDelayP99: Math.max(0, ...threadDelays.map((d) => d?.p99Ms ?? 0)),
      memPerConsumerKb: (rssLoaded - rssBefore) / 1024 / (consultations * 4),
    };
  } finally {
    await generator.stop();
    for (const worker of workers) worker.close();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const meets = (r: Measurement) => !r.generatorLimited && r.lossPct < MAX_LOSS_PCT && r.p99 <= MAX_P99_MS;
const levels = (process.env.BENCH_LEVELS ?? `10,25,${TARGET_CONSULTATIONS}`)
  .split(',')
  .map(Number)
  .filter((n, i, a) => n > 0 && a.indexOf(n) === i)
  .sort((a, b) => a - b);
const loadBefore = loadavg();
const rows: Measurement[] = [];
for (const level of levels) {
  const runs: Measurement[] = [];
  const count = RUNS;
  for (let i = 0; i < count; i++) {
    const m = await run(level);
    runs.push(m);
    console.error(
      `  ${level} consultations, run ${i + 1}/${count}: loss ${m.lossPct.toFixed(2)}%, p99 ${m.p99.toFixed(1)} ms, engine CPU ${m.engineCpu.toFixed(2)}`,
    );
  }
  const pick = (k: Exclude<keyof Measurement, 'generatorLimited'>) => median(runs.map((r) => r[k]));
  rows.push({
    consultations: level,
    generatorLimited: runs.some((r) => r.generatorLimited),
    lossPct: pick('lossPct'),
    p50: pick('p50'),
    p99: pick('p99'),
    pps: pick('pps'),
    paddingKbps: pick('paddingKbps'),
    engineCpu: pick('engineCpu'),
    generatorCpu: pick('generatorCpu'),
    loopDelayP99: pick('loopDelayP99'),
    maxElu: pick('maxElu'),
    load1: pick('load1'),
    threadLoopDelayP99: pick('threadLoopDelayP99'),
    memPerConsumerKb: pick('memPerConsumerKb'),
  });
}
const loadAfter = loadavg();
const cores = availableParallelism();
console.log(
  `\nSFU benchmark — werift engine (${ENGINE_MODE === 'threads' ? `${WORKERS} worker threads` : 'one in-process worker'}), ${cores} cores, ${MEASURE_MS / 1000} s windows, median of ${RUNS} runs per level`,
);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(
  [
    'engine CPU: this process only; the load generator runs in a child process.',
    'loss: gaps in the sequence numbers of the forwarded media streams (per connection and SSRC), from every packet;',
    '  probe padding (the prober SSRC) is not media: counted apart as padding kb/s, never as forwarded packets.',
    'latency: send → receive of the forwarded copy on the generator clock, for a decrypted sample of the packets;',
    '  an upper bound of the SFU-added latency (it includes the generator’s own SRTP work and event-loop delay).',
  ].join('\n'),
);
console.table(
  rows.map((r) => ({
    consultations: r.consultations,
    'load avg': r.load1.toFixed(2),
    'loss %': r.lossPct.toFixed(2),
    'p50 ms': r.p50.toFixed(2),
    'p99 ms': r.p99.toFixed(2),
    'fwd pkt/s': Math.round(r.pps),
    'fwd pkt/s per engine core': Math.round(r.pps / Math.max(0.01, r.engineCpu)),
    'padding kb/s': Math.round(r.paddingKbps),
    'engine CPU (cores)': r.engineCpu.toFixed(2),
    'generator CPU (cores)': r.generatorCpu.toFixed(2),
    ...(ENGINE_MODE === 'threads'
      ? {
          'busiest engine thread ELU': r.maxElu.toFixed(2),
          'engine thread loop delay p99 ms': r.threadLoopDelayP99.toFixed(1),
        }
      : { 'engine loop delay p99 ms': r.loopDelayP99.toFixed(1) }),
    'RSS KB / consumer': Math.round(r.memPerConsumerKb),
    target: meets(r) ? 'met' : r.generatorLimited ? 'missed (generator fell behind)' : 'missed',
  })),
);
const sustained = Math.max(0, ...rows.filter(meets).map((r) => r.consultations));
console.log(`highest level sustained (<${MAX_LOSS_PCT}% loss, p99 ≤ ${MAX_P99_MS} ms): ${sustained}`);
// Said only after looking for a worker, as the engine suite does (MEDIASOUP_WORKER_BIN, then the package's own).
const mediasoup = await loadMediasoupEngine(process.env.MEDIASOUP_WORKER_BIN);
console.log(
  mediasoup.engine
    ? `mediasoup engine: not benchmarked — a worker exists (${mediasoup.engine.description}), but this bench does not drive mediasoup yet (issue 23).`
    : `mediasoup engine: not benchmarked (looked for its worker: ${mediasoup.reason}).`,
);
const target = rows.find((r) => r.consultations === TARGET_CONSULTATIONS);
const ok = target !== undefined && meets(target);
console.log(
  ok
    ? `target met: ${TARGET_CONSULTATIONS} consultations, <${MAX_LOSS_PCT}% loss, p99 ≤ ${MAX_P99_MS} ms`
    : `target MISSED at ${TARGET_CONSULTATIONS} consultations (need <${MAX_LOSS_PCT}% loss and p99 ≤ ${MAX_P99_MS} ms)`,
);
process.exit(ok ? 0 : 1);
