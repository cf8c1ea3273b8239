/**
 * `npm run bench -w sfu`: synthetic consultations (clinic + specialist, each sending 1.5 Mb/s video and
 * 40 kb/s audio over real ICE/DTLS/SRTP on loopback and receiving the other's) through the werift engine.
 * Publishers, subscribers and the engine share this process, so CPU and per-core figures include the
 * load generator's own SRTP work: the engine's true cost is lower than printed.
 */
import { availableParallelism } from 'node:os';
import type { RtpPacket } from 'werift';
import type { Router } from '../engine/Router.js';
import type { WebRtcTransport } from '../engine/WebRtcTransport.js';
import { WeriftEngine } from '../engine/werift/WeriftEngine.js';
import {
  audioProducerParameters,
  connectPeer,
  consumerCapabilities,
  EXT,
  midExtension,
  videoProducerParameters,
} from '../testing/loopbackHarness.js';
import type { RtcTestPeer } from '../testing/RtcTestPeer.js';
import { SyntheticSource } from '../testing/SyntheticSource.js';

const TARGET_CONSULTATIONS = Number(process.env.BENCH_CONSULTATIONS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;

interface Participant {
  sendPeer: RtcTestPeer;
  recvPeer: RtcTestPeer;
  recvTransport: WebRtcTransport;
  sources: SyntheticSource[];
  producerIds: string[];
}

interface Measurement {
  consultations: number;
  sent: number;
  received: number;
  lossPct: number;
  p50: number;
  p99: number;
  pps: number;
  cpu: number;
  memPerConsumerKb: number;
}

async function participant(router: Router): Promise<Participant> {
  const send = await connectPeer(router);
  const recv = await connectPeer(router);
  const video = new SyntheticSource({
    kind: 'video',
    payloadType: 96,
    bitrate: 1_500_000,
    frameRate: 30,
    extensions: [midExtension('0')],
  });
  const audio = new SyntheticSource({
    kind: 'audio',
    payloadType: 111,
    bitrate: 40_000,
    frameRate: 50,
    extensions: [midExtension('1'), { id: EXT.audioLevel, payload: Buffer.from([0x80 | 40]) }],
  });
  const vp = await send.transport.produce({
    kind: 'video',
    rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
  });
  const ap = await send.transport.produce({
    kind: 'audio',
    rtpParameters: audioProducerParameters({ mid: '1', ssrc: audio.ssrc }),
  });
  return {
    sendPeer: send.peer,
    recvPeer: recv.peer,
    recvTransport: recv.transport,
    sources: [video, audio],
    producerIds: [vp.id, ap.id],
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function run(consultations: number): Promise<Measurement> {
  const worker = await new WeriftEngine().createWorker({ rtcMinPort: 45000, rtcMaxPort: 47999 });
  const peers: RtcTestPeer[] = [];
  const latencies: number[] = [];
  let sent = 0;
  let received = 0;
  let measuring = false;
  const timers: NodeJS.Timeout[] = [];
  try {
    const all: Participant[] = [];
    for (let c = 0; c < consultations; c++) {
      const router = await worker.createRouter();
      const clinic = await participant(router);
      const specialist = await participant(router);
      all.push(clinic, specialist);
      for (const [from, to] of [
        [clinic, specialist],
        [specialist, clinic],
      ] as const) {
        for (const producerId of from.producerIds) {
          await to.recvTransport.consume({
            producerId,
            rtpCapabilities: consumerCapabilities(router),
            paused: false,
          });
        }
      }
      for (const p of [clinic, specialist]) {
        peers.push(p.sendPeer, p.recvPeer);
        p.recvPeer.onRtp((packet: RtpPacket) => {
          if (!measuring) return;
          const kind = packet.payload.length > 200 ? 'video' : 'audio';
          const { sendTimeMs } = SyntheticSource.readPayload(kind, packet.payload);
          if (sendTimeMs > 0) latencies.push(performance.now() - sendTimeMs);
          received++;
        });
      }
    }
    // Each participant sends on its own 10 ms clock: video frames every 33 ms, audio every 20 ms.
    for (const p of all) {
      const [video, audio] = p.sources as [SyntheticSource, SyntheticSource];
      timers.push(
        setInterval(() => {
          for (const pk of video.nextFrame(measuring ? performance.now() : 0)) {
            p.sendPeer.sendRtp(pk.header, pk.payload);
            if (measuring) sent++;
          }
        }, 1000 / 30),
        setInterval(() => {
          for (const pk of audio.nextFrame(measuring ? performance.now() : 0)) {
            p.sendPeer.sendRtp(pk.header, pk.payload);
            if (measuring) sent++;
          }
        }, 20),
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
    const memBefore = process.memoryUsage().rss;
    const cpuStart = process.cpuUsage();
    const t0 = performance.now();
    measuring = true;
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    measuring = false;
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpuStart);
    await new Promise((r) => setTimeout(r, 300));
    latencies.sort((a, b) => a - b);
    const consumers = consultations * 4;
    return {
      consultations,
      sent,
      received,
      lossPct: sent > 0 ? Math.max(0, ((sent - received) / sent) * 100) : 100,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      pps: (received / elapsed) * 1000,
      cpu: (cpu.user + cpu.system) / 1000 / elapsed,
      memPerConsumerKb: memBefore / 1024 / consumers,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const p of peers) await p.close();
    worker.close();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const levels = [
  ...new Set([
    Math.max(1, Math.round(TARGET_CONSULTATIONS / 5)),
    Math.round(TARGET_CONSULTATIONS / 2),
    TARGET_CONSULTATIONS,
  ]),
];
const rows: Measurement[] = [];
for (const level of levels) {
  const runs: Measurement[] = [];
  for (let i = 0; i < (level === TARGET_CONSULTATIONS ? RUNS : 1); i++) runs.push(await run(level));
  const pick = (k: keyof Measurement) => median(runs.map((r) => r[k] as number));
  rows.push({
    consultations: level,
    sent: pick('sent'),
    received: pick('received'),
    lossPct: pick('lossPct'),
    p50: pick('p50'),
    p99: pick('p99'),
    pps: pick('pps'),
    cpu: pick('cpu'),
    memPerConsumerKb: pick('memPerConsumerKb'),
  });
}
const cores = availableParallelism();
console.log(
  `\nSFU benchmark — werift engine, ${cores} cores, ${MEASURE_MS / 1000} s windows, median of ${RUNS} runs at ${TARGET_CONSULTATIONS}`,
);
console.log(
  '(load generator shares the process: CPU and per-core rate include its SRTP work; latency is send→receive through the SFU)',
);
console.table(
  rows.map((r) => ({
    consultations: r.consultations,
    'loss %': r.lossPct.toFixed(2),
    'p50 ms': r.p50.toFixed(1),
    'p99 ms': r.p99.toFixed(1),
    'fwd pkt/s': Math.round(r.pps),
    'pkt/s per core used': Math.round(r.pps / Math.max(0.01, r.cpu)),
    'CPU (cores)': r.cpu.toFixed(2),
    'RSS KB / consumer': Math.round(r.memPerConsumerKb),
  })),
);
console.log('mediasoup engine: not benchmarked (its worker is not installed here).');
const target = rows.find((r) => r.consultations === TARGET_CONSULTATIONS);
const ok = target !== undefined && target.lossPct < 1 && target.p99 <= 20;
console.log(
  ok
    ? `target met: ${TARGET_CONSULTATIONS} consultations, <1% loss, p99 ≤ 20 ms`
    : `target MISSED at ${TARGET_CONSULTATIONS} consultations (need <1% loss and p99 ≤ 20 ms)`,
);
process.exit(ok ? 0 : 1);
