/**
 * The benchmark's synthetic clients, run as a child process of `bench.ts` so the engine's process is
 * measured alone. Each participant sends VP8-shaped video and Opus-shaped audio over real ICE/DTLS/SRTP
 * and receives the other participant's media. Loss comes from gaps in the forwarded streams' sequence
 * numbers (read from the clear-text SRTP headers of every packet); latency from the send time written into
 * the payload of a decrypted sample, on this process's clock.
 */
import { EXT } from '../testing/loopbackHarness.js';
import { RtcTestPeer } from '../testing/RtcTestPeer.js';
import type { EngineToGenerator, GeneratorToEngine } from './benchProtocolTypes.js';
import { ReceivedStreams } from './ReceivedStreams.js';

const TICK_MS = 2;
const MAX_PAYLOAD = 1100;
const VP8_DESCRIPTOR = 5;
/** A sender further behind than this skips ahead instead of bursting, and the run is marked generator-limited. */
const MAX_LAG_MS = 200;
/** One received packet in this many is authenticated, decrypted and timed; the rest are counted from headers. */
const DECRYPT_EVERY = Number(process.env.BENCH_DECRYPT_EVERY ?? 4);

/**
 * One synthetic media stream. Headers and payloads are written into reused buffers (the data path copies
 * them while encrypting), so the generator's per-packet cost is close to the engine's and it can offer
 * the engine its full load from one core.
 */
interface Sender {
  peer: RtcTestPeer;
  kind: 'audio' | 'video';
  header: Buffer;
  payload: Buffer;
  seq: number;
  timestamp: number;
  pictureId: number;
  frames: number;
  frameBytes: number;
  tsStep: number;
  intervalMs: number;
  nextMs: number;
}

const peers = new Map<number, RtcTestPeer>();
const senders: Sender[] = [];
let measuring = false;
let sent = 0;
let lagSkips = 0;
let latencies: number[] = [];
let streams = new ReceivedStreams();
let arrivals = 0;
let windowStart = 0;
let cpuStart = process.cpuUsage();
let timer: NodeJS.Timeout | undefined;

function send(message: GeneratorToEngine): void {
  process.send?.(message);
}

/** A header with the one-byte MID extension (and audio level for audio), as a browser sends. */
function makeSender(
  peer: RtcTestPeer,
  kind: 'audio' | 'video',
  ssrc: number,
  bitrate: number,
  frameRate: number,
  phaseMs: number,
): Sender {
  const header = Buffer.alloc(20);
  header[0] = 0x90;
  header[1] = kind === 'video' ? 96 : 111;
  header.writeUInt32BE(ssrc, 8);
  header.writeUInt16BE(0xbede, 12);
  header.writeUInt16BE(1, 14);
  header[16] = (EXT.mid << 4) | 0;
  header[17] = kind === 'video' ? 0x30 : 0x31; // MID "0" or "1"
  if (kind === 'audio') {
    header[18] = EXT.audioLevel << 4;
    header[19] = 0x80 | 40;
  }
  return {
    peer,
    kind,
    header,
    payload: Buffer.alloc(MAX_PAYLOAD),
    seq: Math.floor(Math.random() * 0x8000),
    timestamp: Math.floor(Math.random() * 0x7fffffff),
    pictureId: Math.floor(Math.random() * 0x7fff),
    frames: 0,
    frameBytes: Math.round(bitrate / 8 / frameRate),
    tsStep: Math.round((kind === 'video' ? 90000 : 48000) / frameRate),
    intervalMs: 1000 / frameRate,
    nextMs: performance.now() + phaseMs,
  };
}

/** Sends one frame: VP8-shaped packets of at most 1100 bytes (key frames 3× larger, every 10 s), or one audio packet. */
function sendFrame(s: Sender, sendTimeMs: number): number {
  const keyFrame = s.kind === 'video' && s.frames % 300 === 0;
  const bytes = keyFrame ? s.frameBytes * 3 : s.frameBytes;
  const count = s.kind === 'audio' ? 1 : Math.ceil(bytes / MAX_PAYLOAD);
  const perPacket = Math.min(MAX_PAYLOAD, Math.max(24, Math.ceil(bytes / count)));
  const { header, payload } = s;
  header.writeUInt32BE(s.timestamp >>> 0, 4);
  for (let i = 0; i < count; i++) {
    header[1] = (header[1] as number) & 0x7f;
    if (i === count - 1) header[1] = (header[1] as number) | 0x80;
    header.writeUInt16BE(s.seq, 2);
    let offset = 0;
    if (s.kind === 'video') {
      payload[0] = 0x80 | (i === 0 ? 0x10 : 0);
      payload[1] = 0x80;
      payload.writeUInt16BE(0x8000 | s.pictureId, 2);
      payload[4] = keyFrame ? 0x00 : 0x01;
      offset = VP8_DESCRIPTOR;
    }
    payload.writeUInt32BE(0, offset);
    payload.writeUInt32BE(s.frames >>> 0, offset + 4);
    payload.writeDoubleBE(sendTimeMs, offset + 8);
    s.peer.sendRawRtp(header, payload.subarray(0, perPacket));
    s.seq = (s.seq + 1) & 0xffff;
  }
  s.frames++;
  s.pictureId = (s.pictureId + 1) & 0x7fff;
  s.timestamp = (s.timestamp + s.tsStep) >>> 0;
  return count;
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
      const n = sendFrame(s, measuring ? performance.now() : 0);
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
  // Audio payloads are 100 bytes, video ones 5 bytes of VP8 descriptor and then the same fields.
  const offset = (payload.length > 200 ? VP8_DESCRIPTOR : 0) + 8;
  if (payload.length < offset + 8) return;
  const sendTimeMs = payload.readDoubleBE(offset);
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
      senders.push(
        makeSender(sendPeer, 'video', message.videoSsrc, 1_500_000, 30, phase),
        makeSender(sendPeer, 'audio', message.audioSsrc, 40_000, 50, phase % 20),
      );
      recvPeer.setPreDecryptFilter((packet) => onArrival(message.recvPeerId, packet));
      recvPeer.onRawRtp(onDecrypted);
      break;
    }
    case 'start':
      timer ??= setInterval(tick, TICK_MS);
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
      for (const peer of peers.values()) await peer.close();
      process.exit(0);
  }
}

process.on('message', (message: EngineToGenerator) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
