/**
 * The benchmark's synthetic clients, run as a child process of `bench.ts` so the engine's process is
 * measured alone. Each participant sends VP8-shaped video (three simulcast layers with their rids, or one
 * plain stream: `benchShape.ts`) and Opus-shaped audio over real ICE/DTLS/SRTP, answers key frame requests,
 * sends sender reports, and receives the other participant's media. Loss comes from gaps in the forwarded streams' sequence
 * numbers (read from the clear-text SRTP headers of every packet); latency from the send time written into
 * the payload of a decrypted sample, on this process's clock.
 */
import { RtcTestPeer } from '../testing/RtcTestPeer.js';
import type { EngineToGenerator, GeneratorToEngine } from './benchProtocolTypes.js';
import { ReceivedStreams } from './ReceivedStreams.js';
import { SyntheticRtpSender, VP8_PREFIX } from './SyntheticRtpSender.js';

const TICK_MS = 2;
/** Sender reports, per sending connection, as often as a browser sends them. */
const SENDER_REPORT_MS = 1000;
/** A sender further behind than this skips ahead instead of bursting, and the run is marked generator-limited. */
const MAX_LAG_MS = 200;
/** One received packet in this many is authenticated, decrypted and timed; the rest are counted from headers. */
const DECRYPT_EVERY = Number(process.env.BENCH_DECRYPT_EVERY ?? 4);

const peers = new Map<number, RtcTestPeer>();
const senders: SyntheticRtpSender[] = [];
/** Each sending connection's streams, for its sender reports and its key frame requests. */
const sendersByPeer = new Map<RtcTestPeer, Map<number, SyntheticRtpSender>>();
let measuring = false;
let sent = 0;
let lagSkips = 0;
let latencies: number[] = [];
let streams = new ReceivedStreams();
let arrivals = 0;
let windowStart = 0;
let cpuStart = process.cpuUsage();
let timer: NodeJS.Timeout | undefined;
let reportTimer: NodeJS.Timeout | undefined;

function send(message: GeneratorToEngine): void {
  process.send?.(message);
}

function sendSenderReports(): void {
  const now = performance.now();
  for (const [peer, streamsOfPeer] of sendersByPeer) {
    peer.sendRtcp([...streamsOfPeer.values()].map((s) => s.senderReport(now)));
  }
}

function tick(): void {
  const now = performance.now();
  for (const s of senders) {
    if (now - s.nextMs > MAX_LAG_MS) {
      lagSkips++;
      s.nextMs = now;
    }
    // Catch up after a late tick rather than drifting: a late generator must not lower the offered load.
    while (s.nextMs <= now) {
      const n = s.sendFrame(measuring ? performance.now() : 0);
      if (measuring) sent += n;
      s.nextMs += s.intervalMs;
    }
  }
}

/** Sees every forwarded SRTP packet before decryption: counts it from its clear-text header, picks a sample. */
function onArrival(connection: number, packet: Buffer): boolean {
  if (!measuring) return false;
  streams.record(connection, packet);
  return ++arrivals % DECRYPT_EVERY === 0;
}

function onDecrypted(_header: Buffer, payload: Buffer): void {
  // Audio payloads are 100 bytes; video ones (at least 600, the lowest layer's frame) start with the VP8 prefix.
  const kind = payload.length > 200 ? 'video' : 'audio';
  if (payload.length < (kind === 'video' ? VP8_PREFIX : 0) + 16) return;
  const { sendTimeMs } = SyntheticRtpSender.readPayload(kind, payload);
  if (sendTimeMs > 0) latencies.push(performance.now() - sendTimeMs);
}

async function handle(message: EngineToGenerator): Promise<void> {
  switch (message.type) {
    case 'peer': {
      const peer = await RtcTestPeer.create(message.remote);
      peers.set(message.peerId, peer);
      send({ type: 'peer-created', peerId: message.peerId, dtlsParameters: peer.dtlsParameters });
      await peer.connect();
      send({ type: 'peer-connected', peerId: message.peerId });
      break;
    }
    case 'participant': {
      const sendPeer = peers.get(message.sendPeerId);
      const recvPeer = peers.get(message.recvPeerId);
      if (!sendPeer || !recvPeer) throw new Error('participant before its peers');
      const phase = Math.random() * 33;
      const now = performance.now();
      const streamsOfPeer = new Map<number, SyntheticRtpSender>();
      const participantSenders = [
        // A camera's simulcast layers are encoded from the same frames, so they share a phase.
        ...message.video.map(
          (layer, index) =>
            new SyntheticRtpSender(sendPeer, {
              kind: 'video',
              ssrc: layer.ssrc,
              mid: '0',
              ...(layer.rid ? { rid: layer.rid } : {}),
              layer: index,
              bitrate: layer.bitrate,
              frameRate: 30,
              startMs: now + phase,
            }),
        ),
        new SyntheticRtpSender(sendPeer, {
          kind: 'audio',
          ssrc: message.audioSsrc,
          mid: '1',
          bitrate: 40_000,
          frameRate: 50,
          startMs: now + (phase % 20),
        }),
      ];
      for (const s of participantSenders) streamsOfPeer.set(s.ssrc, s);
      senders.push(...participantSenders);
      sendersByPeer.set(sendPeer, streamsOfPeer);
      sendPeer.onRtcp((packet) => SyntheticRtpSender.answerKeyFrameRequest(streamsOfPeer, packet));
      recvPeer.setPreDecryptFilter((packet) => onArrival(message.recvPeerId, packet));
      recvPeer.onRawRtp(onDecrypted);
      break;
    }
    case 'start':
      timer ??= setInterval(tick, TICK_MS);
      reportTimer ??= setInterval(sendSenderReports, SENDER_REPORT_MS);
      break;
    case 'measure':
      if (message.on) {
        sent = 0;
        lagSkips = 0;
        latencies = [];
        streams = new ReceivedStreams();
        arrivals = 0;
        windowStart = performance.now();
        cpuStart = process.cpuUsage();
        measuring = true;
      } else {
        measuring = false;
        const cpu = process.cpuUsage(cpuStart);
        const { expected, received } = streams.media;
        send({
          type: 'window',
          sent,
          expected,
          received,
          paddingPackets: streams.paddingPackets,
          paddingBytes: streams.paddingBytes,
          lagSkips,
          latenciesMs: latencies,
          cpuUserMs: cpu.user / 1000,
          cpuSystemMs: cpu.system / 1000,
          elapsedMs: performance.now() - windowStart,
        });
      }
      break;
    case 'stop':
      clearInterval(timer);
      clearInterval(reportTimer);
      for (const peer of peers.values()) await peer.close();
      process.exit(0);
  }
}

process.on('message', (message: EngineToGenerator) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
