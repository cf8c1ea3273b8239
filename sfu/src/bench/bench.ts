/**
 * `npm run bench:sfu`: synthetic consultations (clinic + specialist, each sending its camera as three simulcast
 * layers or one plain stream, and Opus-shaped audio, over real ICE/DTLS/SRTP on loopback, and receiving the other's)
 * through the werift engine and, where its worker exists, the mediasoup engine: the engines alternate run by run
 * at each level, with the same number of workers each.
 *
 * The clients run in a child process (`loadGenerator.ts`), so they are never counted as the engine's CPU. The
 * engine's CPU is this process's (werift's worker threads, or mediasoup's Node side) plus that of the worker
 * processes (mediasoup's), from `/proc/<pid>/stat`. Loss is counted by the receivers from the forwarded streams'
 * sequence numbers; latency from the send time in a decrypted sample of packets, on the generator's clock
 * (send → receive of the forwarded copy: an upper bound of the SFU's added latency).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import { type EventLoopUtilization, monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Consumer } from '../engine/Consumer.js';
import type { EngineName, MediaEngine } from '../engine/MediaEngine.js';
import { loadMediasoupEngine } from '../engine/mediasoup/MediasoupEngine.js';
import type { Router } from '../engine/Router.js';
import type { WebRtcTransport } from '../engine/WebRtcTransport.js';
import type { Worker } from '../engine/Worker.js';
import { randomSsrc } from '../engine/werift/rtpUtils.js';
import { ThreadedWeriftEngine } from '../engine/werift/threaded/ThreadedWeriftEngine.js';
import { ThreadedWorker } from '../engine/werift/threaded/ThreadedWorker.js';
import { WeriftEngine } from '../engine/werift/WeriftEngine.js';
import { audioProducerParameters, consumerCapabilities, waitFor } from '../testing/loopbackHarness.js';
import type { EngineToGenerator, GeneratorToEngine } from './benchProtocolTypes.js';
import { benchSchedule } from './benchSchedule.js';
import { type ConsultationRole, parseBenchShape, videoLayersFor, videoParametersFor } from './benchShape.js';
import { EngineResourceMeter } from './EngineResourceMeter.js';
import { engineRatio, WERIFT_RATIO_GOAL } from './engineRatio.js';

const TARGET_CONSULTATIONS = Number(process.env.BENCH_CONSULTATIONS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const WARMUP_MS = 2000;
/** `threads` (default): a werift worker thread per core, as the SFU runs; `inprocess`: one worker on the main thread. */
const ENGINE_MODE = process.env.BENCH_ENGINE === 'inprocess' ? 'inprocess' : 'threads';
/** Workers per engine, the same for both: one per core (one with `inprocess`), or `BENCH_WORKERS`. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? (ENGINE_MODE === 'threads' ? availableParallelism() : 1));
const SHAPE = parseBenchShape(process.env.SFU_BENCH_SHAPE);
/**
 * Every transport's outgoing estimate starts here. The synthetic receivers send no bandwidth feedback, so it also
 * stays here: 3 Mb/s leaves a well-connected receiver room for the top layer (1.5 Mb/s) and audio on both engines.
 */
const OUTGOING_BITRATE = Number(process.env.BENCH_OUTGOING_BITRATE ?? 3_000_000);
const MAX_LOSS_PCT = 1;
const MAX_P99_MS = 20;
/** When set, the engine process writes a CPU profile of each measurement window to this path prefix. */
const PROFILE = process.env.BENCH_PROFILE;
/** Each engine's workers get their own port range, so a run never waits for the other engine's ports to close. */
const PORT_BASE: Record<EngineName, number> = { werift: 45000, mediasoup: 48000 };

interface Measurement {
  engine: EngineName;
  consultations: number;
  /** The generator could not keep its schedule, so the engine saw less than the nominal load. */
  generatorLimited: boolean;
  lossPct: number;
  p50: number;
  p99: number;
  pps: number;
  /** Forwarded media packets received per engine CPU-second. */
  packetsPerCpuSecond: number;
  /** Probe padding received (the prober's SSRC), kb/s: counted apart from the forwarded media. */
  paddingKbps: number;
  /** Engine CPU in cores: this process plus the engine's worker processes. */
  engineCpu: number;
  /** The part of `engineCpu` spent in worker processes (mediasoup's; 0 for werift's threads). */
  workerProcessCpu: number;
  generatorCpu: number;
  /** Simulcast video consumers forwarding their producer's top layer at the window's end, in %. */
  topLayerPct: number;
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
  const transport = await router.createWebRtcTransport({
    listenIp: '127.0.0.1',
    initialAvailableOutgoingBitrate: OUTGOING_BITRATE,
  });
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

async function run(engine: MediaEngine, consultations: number): Promise<Measurement> {
  const workers: Worker[] = [];
  const span = Math.floor(3000 / WORKERS);
  const base = PORT_BASE[engine.name];
  const generator = new Generator();
  try {
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        await engine.createWorker({ rtcMinPort: base + i * span, rtcMaxPort: base + (i + 1) * span - 1 }),
      );
    }
    const meter = new EngineResourceMeter(workers);
    global.gc?.();
    const rssBefore = meter.rssBytes();
    const simulcastConsumers: { consumer: Consumer; layers: number }[] = [];
    let consumerCount = 0;
    for (let c = 0; c < consultations; c++) {
      // Rooms spread over the workers round-robin, as the SFU's room registry places them.
      const router = await (workers[c % WORKERS] as Worker).createRouter();
      const participants = [];
      for (const role of ['clinic', 'specialist'] as ConsultationRole[]) {
        const sender = await connectRemotePeer(router, generator);
        const receiver = await connectRemotePeer(router, generator);
        const layers = videoLayersFor(SHAPE, role);
        const video = layers.map((l) => ({
          ssrc: randomSsrc(),
          bitrate: l.bitrate,
          ...(l.rid ? { rid: l.rid } : {}),
        }));
        const audioSsrc = randomSsrc();
        const videoProducer = await sender.transport.produce({
          kind: 'video',
          rtpParameters: videoParametersFor(layers, '0', (video[0] as { ssrc: number }).ssrc),
        });
        const audioProducer = await sender.transport.produce({
          kind: 'audio',
          rtpParameters: audioProducerParameters({ mid: '1', ssrc: audioSsrc }),
        });
        participants.push({
          sender,
          receiver,
          video,
          audioSsrc,
          producers: [
            { id: videoProducer.id, layers: layers.length },
            { id: audioProducer.id, layers: 1 },
          ],
        });
      }
      const [clinic, specialist] = participants as [(typeof participants)[0], (typeof participants)[0]];
      for (const [from, to] of [
        [clinic, specialist],
        [specialist, clinic],
      ] as const) {
        for (const producer of from.producers) {
          const consumer = await to.receiver.transport.consume({
            producerId: producer.id,
            rtpCapabilities: consumerCapabilities(router),
            paused: false,
          });
          consumerCount++;
          if (consumer.type === 'simulcast') simulcastConsumers.push({ consumer, layers: producer.layers });
        }
      }
      for (const p of participants) {
        generator.post({
          type: 'participant',
          consultation: c,
          sendPeerId: p.sender.peerId,
          recvPeerId: p.receiver.peerId,
          video: p.video,
          audioSsrc: p.audioSsrc,
        });
      }
    }
    generator.post({ type: 'start' });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const rssLoaded = meter.rssBytes();
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
    meter.start();
    const t0 = performance.now();
    const window = generator.expect<'window'>('window', MEASURE_MS + 30_000);
    generator.post({ type: 'measure', on: true });
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    generator.post({ type: 'measure', on: false });
    const elapsed = performance.now() - t0;
    const cpu = meter.read();
    const elu = workers.map((w, i) =>
      w instanceof ThreadedWorker
        ? w.eventLoopUtilization(eluStart[i] as EventLoopUtilization).utilization
        : 0,
    );
    loop.disable();
    const onTop = simulcastConsumers.filter(
      ({ consumer, layers }) => consumer.currentLayers?.spatialLayer === layers - 1,
    ).length;
    const threadDelays = await Promise.all(
      workers.map((w) => (w instanceof ThreadedWorker ? w.eventLoopDelay() : undefined)),
    );
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(`${PROFILE}-${engine.name}-${consultations}.cpuprofile`, JSON.stringify(profile));
      profiler.disconnect();
    }
    const w = await window;
    const latencies = Float64Array.from(w.latenciesMs).sort();
    const engineCpu = (cpu.totalSeconds * 1000) / elapsed;
    const pps = (w.received / w.elapsedMs) * 1000;
    return {
      engine: engine.name,
      consultations,
      lossPct: w.expected > 0 ? Math.max(0, ((w.expected - w.received) / w.expected) * 100) : 100,
      generatorLimited: w.lagSkips > 0,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      pps,
      packetsPerCpuSecond: pps / Math.max(0.001, engineCpu),
      paddingKbps: (w.paddingBytes * 8) / w.elapsedMs,
      engineCpu,
      workerProcessCpu: (cpu.workerSeconds * 1000) / elapsed,
      generatorCpu: (w.cpuUserMs + w.cpuSystemMs) / w.elapsedMs,
      topLayerPct: simulcastConsumers.length > 0 ? (onTop / simulcastConsumers.length) * 100 : Number.NaN,
      loopDelayP99: loop.percentile(99) / 1e6,
      maxElu: Math.max(0, ...elu),
      load1,
      threadLoopDelayP99: Math.max(0, ...threadDelays.map((d) => d?.p99Ms ?? 0)),
      memPerConsumerKb: (rssLoaded - rssBefore) / 1024 / consumerCount,
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

/** A level's figures for one engine: the median of its runs (generator-limited if any run was). */
function medianRow(runs: Measurement[]): Measurement {
  const pick = (k: Exclude<keyof Measurement, 'generatorLimited' | 'engine'>) =>
    median(runs.map((r) => r[k]));
  const first = runs[0] as Measurement;
  return {
    engine: first.engine,
    consultations: first.consultations,
    generatorLimited: runs.some((r) => r.generatorLimited),
    lossPct: pick('lossPct'),
    p50: pick('p50'),
    p99: pick('p99'),
    pps: pick('pps'),
    packetsPerCpuSecond: pick('packetsPerCpuSecond'),
    paddingKbps: pick('paddingKbps'),
    engineCpu: pick('engineCpu'),
    workerProcessCpu: pick('workerProcessCpu'),
    generatorCpu: pick('generatorCpu'),
    topLayerPct: pick('topLayerPct'),
    loopDelayP99: pick('loopDelayP99'),
    maxElu: pick('maxElu'),
    load1: pick('load1'),
    threadLoopDelayP99: pick('threadLoopDelayP99'),
    memPerConsumerKb: pick('memPerConsumerKb'),
  };
}

const meets = (r: Measurement) => !r.generatorLimited && r.lossPct < MAX_LOSS_PCT && r.p99 <= MAX_P99_MS;
const levels = (process.env.BENCH_LEVELS ?? `10,25,${TARGET_CONSULTATIONS}`)
  .split(',')
  .map(Number)
  .filter((n, i, a) => n > 0 && a.indexOf(n) === i)
  .sort((a, b) => a - b);

const werift: MediaEngine = ENGINE_MODE === 'threads' ? new ThreadedWeriftEngine() : new WeriftEngine();
// Looked for before the runs, as the engine suite looks (MEDIASOUP_WORKER_BIN, then the package's own worker).
const mediasoup = await loadMediasoupEngine(process.env.MEDIASOUP_WORKER_BIN);
const engines: MediaEngine[] = mediasoup.engine ? [werift, mediasoup.engine] : [werift];
console.error(
  mediasoup.engine
    ? `mediasoup engine: ${mediasoup.engine.description}; both engines run, alternating run by run.`
    : `mediasoup engine: not benchmarked (looked for its worker: ${mediasoup.reason}); werift runs alone.`,
);
const loadBefore = loadavg();
const runsByKey = new Map<string, Measurement[]>();
for (const { level, run: i, engine } of benchSchedule(levels, RUNS, engines)) {
  const m = await run(engine, level);
  const key = `${engine.name}:${level}`;
  runsByKey.set(key, [...(runsByKey.get(key) ?? []), m]);
  console.error(
    `  ${level} consultations, ${engine.name} run ${i + 1}/${RUNS}: loss ${m.lossPct.toFixed(2)}%, p99 ${m.p99.toFixed(1)} ms, engine CPU ${m.engineCpu.toFixed(2)}, top layer ${m.topLayerPct.toFixed(0)}%`,
  );
}
const rowOf = (engine: EngineName, level: number) => {
  const runs = runsByKey.get(`${engine}:${level}`);
  return runs ? medianRow(runs) : undefined;
};
const rows = levels.flatMap((level) =>
  engines.map((e) => rowOf(e.name, level)).filter((r): r is Measurement => r !== undefined),
);
const loadAfter = loadavg();
const cores = availableParallelism();
const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
console.log(
  `\nSFU benchmark — ${engines.map((e) => e.name).join(' and ')}, ${WORKERS} worker${WORKERS === 1 ? '' : 's'}${engines.length > 1 ? ' each' : ''} (werift: ${ENGINE_MODE === 'threads' ? 'worker threads' : 'one in-process worker'}), shape ${SHAPE}, ${cores} cores, ${MEASURE_MS / 1000} s windows, median of ${RUNS} runs per level and engine`,
);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(
  [
    'engine CPU: this process (werift and its worker threads, or mediasoup’s Node side) plus the worker processes',
    '  (mediasoup’s, from /proc/<pid>/stat; shown apart as worker proc CPU); the load generator runs in a child process.',
    'pkt per CPU-s: forwarded media packets received per second of engine CPU.',
    'loss: gaps in the sequence numbers of the forwarded media streams (per connection and SSRC), from every packet;',
    '  probe padding (the prober SSRC) is not media: counted apart as padding kb/s, never as forwarded packets.',
    'latency: send → receive of the forwarded copy on the generator clock, for a decrypted sample of the packets;',
    '  an upper bound of the SFU-added latency (it includes the generator’s own SRTP work and event-loop delay).',
    `top layer %: simulcast video consumers forwarding the top layer at the window’s end (estimate starts at ${OUTGOING_BITRATE / 1e6} Mb/s).`,
  ].join('\n'),
);
console.table(
  rows.map((r) => ({
    consultations: r.consultations,
    engine: r.engine,
    'load avg': r.load1.toFixed(2),
    'loss %': r.lossPct.toFixed(2),
    'p50 ms': r.p50.toFixed(2),
    'p99 ms': r.p99.toFixed(2),
    'fwd pkt/s': Math.round(r.pps),
    'pkt per CPU-s': Math.round(r.packetsPerCpuSecond),
    'top layer %': fixed(r.topLayerPct, 0),
    'padding kb/s': Math.round(r.paddingKbps),
    'engine CPU (cores)': r.engineCpu.toFixed(2),
    'worker proc CPU': r.workerProcessCpu.toFixed(2),
    'generator CPU (cores)': r.generatorCpu.toFixed(2),
    ...(ENGINE_MODE === 'threads'
      ? {
          'busiest werift thread ELU': r.engine === 'werift' ? r.maxElu.toFixed(2) : '-',
          'werift thread loop delay p99 ms': r.engine === 'werift' ? r.threadLoopDelayP99.toFixed(1) : '-',
        }
      : { 'engine loop delay p99 ms': r.loopDelayP99.toFixed(1) }),
    'RSS KB / consumer': Math.round(r.memPerConsumerKb),
    target: meets(r) ? 'met' : r.generatorLimited ? 'missed (generator fell behind)' : 'missed',
  })),
);
if (mediasoup.engine) {
  console.log(
    `werift over mediasoup at the same load (goal for werift: ≥ ${WERIFT_RATIO_GOAL}× mediasoup's packets per CPU-second; information only, a later issue's target)`,
  );
  console.table(
    levels.flatMap((level) => {
      const w = rowOf('werift', level);
      const m = rowOf('mediasoup', level);
      if (!w || !m) return [];
      const ratio = engineRatio(
        { packetsPerCpuSecond: w.packetsPerCpuSecond, p99Ms: w.p99 },
        { packetsPerCpuSecond: m.packetsPerCpuSecond, p99Ms: m.p99 },
      );
      return [
        {
          consultations: level,
          'pkt per CPU-s ratio': fixed(ratio.packetsPerCpuSecond, 2),
          'p99 ratio': fixed(ratio.p99, 2),
          [`goal ≥ ${WERIFT_RATIO_GOAL}`]: ratio.meetsGoal ? 'met' : 'not yet',
        },
      ];
    }),
  );
} else {
  console.log(`mediasoup engine: not benchmarked (looked for its worker: ${mediasoup.reason}).`);
}
const weriftRows = rows.filter((r) => r.engine === 'werift');
const sustained = Math.max(0, ...weriftRows.filter(meets).map((r) => r.consultations));
console.log(`werift: highest level sustained (<${MAX_LOSS_PCT}% loss, p99 ≤ ${MAX_P99_MS} ms): ${sustained}`);
const target = weriftRows.find((r) => r.consultations === TARGET_CONSULTATIONS);
const ok = target !== undefined && meets(target);
console.log(
  ok
    ? `target met (werift): ${TARGET_CONSULTATIONS} consultations, <${MAX_LOSS_PCT}% loss, p99 ≤ ${MAX_P99_MS} ms`
    : `target MISSED (werift) at ${TARGET_CONSULTATIONS} consultations (need <${MAX_LOSS_PCT}% loss and p99 ≤ ${MAX_P99_MS} ms)`,
);
process.exit(ok ? 0 : 1);
