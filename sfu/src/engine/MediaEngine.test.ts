import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classes,
  GenericNack,
  Message,
  methods,
  PictureLossIndication,
  type RtcpPacket,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  type RtpPacket,
} from 'werift';
import {
  audioProducerParameters,
  connectPeer,
  consumerCapabilities,
  EXT,
  extensionText,
  midExtension,
  videoProducerParameters,
  waitFor,
} from '../testing/loopbackHarness.js';
import type { RtcTestPeer } from '../testing/RtcTestPeer.js';
import { SyntheticSource } from '../testing/SyntheticSource.js';
import { TransportCcFeedback } from '../testing/TransportCcFeedback.js';
import type { MediaEngine } from './MediaEngine.js';
import { loadMediasoupEngine } from './mediasoup/MediasoupEngine.js';
import type { Router } from './Router.js';
import type { Worker } from './Worker.js';
import { PROBATOR_SSRC } from './werift/BandwidthProber.js';
import { createRemb, seqDiff } from './werift/rtpUtils.js';
import { ThreadedWeriftEngine } from './werift/threaded/ThreadedWeriftEngine.js';
import { WeriftEngine } from './werift/WeriftEngine.js';
import type { WeriftWebRtcTransport } from './werift/WeriftWebRtcTransport.js';

interface EngineUnderTest {
  name: 'werift' | 'werift on worker threads' | 'mediasoup';
  engine: MediaEngine | undefined;
  /** Why the suite is skipped for this engine. */
  skipReason: string | undefined;
  ports: [number, number];
}

// The same suite runs against every engine that can run here; mediasoup needs its C++ worker binary.
const mediasoup = await loadMediasoupEngine(process.env.MEDIASOUP_WORKER_BIN);
const engines: EngineUnderTest[] = [
  { name: 'werift', engine: new WeriftEngine(), skipReason: undefined, ports: [41000, 41499] },
  {
    name: 'werift on worker threads',
    engine: new ThreadedWeriftEngine(),
    skipReason: undefined,
    ports: [41500, 41999],
  },
  {
    name: 'mediasoup',
    engine: mediasoup.engine,
    skipReason: mediasoup.engine
      ? undefined
      : `mediasoup worker not installed (optional dependency; see sfu/README.md): ${mediasoup.reason}`,
    ports: [42000, 42999],
  },
];
for (const e of engines) {
  if (e.skipReason) console.info(`[sfu] skipping the ${e.name} engine suite: ${e.skipReason}`);
}

/** Sends a source's frames at its frame rate until stopped; answers PLI and NACK like a browser. */
function pump(peer: RtcTestPeer, sources: SyntheticSource[], frameRate = 30) {
  const plis = new Map<number, number>();
  const nacked: number[] = [];
  peer.onRtcp((packet: RtcpPacket) => {
    if (packet.type === 206 && packet.feedback instanceof PictureLossIndication) {
      const ssrc = packet.feedback.mediaSsrc;
      plis.set(ssrc, (plis.get(ssrc) ?? 0) + 1);
      for (const s of sources) if (s.ssrc === ssrc) s.requestKeyFrame();
    }
    if (packet.type === 205 && packet.feedback instanceof GenericNack) {
      const fb = packet.feedback;
      for (const s of sources) {
        if (s.ssrc !== fb.mediaSourceSsrc) continue;
        for (const seq of fb.lost) {
          nacked.push(seq);
          const sent = s.sent.get(seq);
          if (sent) peer.sendRtp(sent.header, sent.payload);
        }
      }
    }
  });
  const timer = setInterval(() => {
    for (const s of sources)
      for (const p of s.nextFrame(performance.now())) peer.sendRtp(p.header, p.payload);
  }, 1000 / frameRate);
  return { stop: () => clearInterval(timer), plis, nacked };
}

function collect(peer: RtcTestPeer) {
  const packets: RtpPacket[] = [];
  const rtcp: RtcpPacket[] = [];
  peer.onRtp((p) => packets.push(p));
  peer.onRtcp((p) => rtcp.push(p));
  return { packets, rtcp };
}

for (const { name, engine, skipReason, ports } of engines) {
  describe.skipIf(skipReason !== undefined)(
    `${name} engine on loopback${skipReason ? ` — skipped: ${skipReason}` : ''}`,
    () => {
      let worker: Worker;
      let router: Router;
      const peers: RtcTestPeer[] = [];
      const weriftOnly = name !== 'werift';

      beforeAll(async () => {
        if (!engine) throw new Error('unreachable: no engine and no skip reason');
        worker = await engine.createWorker({ rtcMinPort: ports[0], rtcMaxPort: ports[1] });
        router = await worker.createRouter();
      });
      afterAll(async () => {
        for (const p of peers) await p.close();
        worker.close();
      });

      async function peerPair() {
        const a = await connectPeer(router);
        const b = await connectPeer(router);
        peers.push(a.peer, b.peer);
        return { a, b };
      }

      it('offers opus, VP8, H264 with RTX and the header extensions mediasoup-client expects', () => {
        const caps = router.rtpCapabilities;
        const mimes = caps.codecs?.map((c) => c.mimeType);
        expect(mimes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264', 'video/rtx']));
        const uris = caps.headerExtensions?.map((e) => e.uri) ?? [];
        for (const part of [
          'sdes:mid',
          'rtp-stream-id',
          'repaired-rtp-stream-id',
          'abs-send-time',
          'transport-wide-cc',
          'ssrc-audio-level',
        ]) {
          expect(
            uris.some((u) => u.includes(part)),
            part,
          ).toBe(true);
        }
      });

      it('forwards audio and video with the consumer SSRC, payload type and MID; consumers start paused', async () => {
        const { a, b } = await peerPair();
        const video = new SyntheticSource({
          kind: 'video',
          payloadType: 96,
          bitrate: 600_000,
          frameRate: 30,
          extensions: [midExtension('0')],
        });
        const audio = new SyntheticSource({
          kind: 'audio',
          payloadType: 111,
          bitrate: 40_000,
          frameRate: 50,
          extensions: [midExtension('1'), { id: EXT.audioLevel, payload: Buffer.from([0x80 | 30]) }],
        });
        const vp = await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
        });
        const ap = await a.transport.produce({
          kind: 'audio',
          rtpParameters: audioProducerParameters({ mid: '1', ssrc: audio.ssrc }),
        });
        const sender = pump(a.peer, [video, audio]);
        const rx = collect(b.peer);
        try {
          const caps = consumerCapabilities(router);
          expect(router.canConsume({ producerId: vp.id, rtpCapabilities: caps })).toBe(true);
          const vc = await b.transport.consume({ producerId: vp.id, rtpCapabilities: caps });
          const ac = await b.transport.consume({ producerId: ap.id, rtpCapabilities: caps });
          expect(vc.paused).toBe(true);
          expect(ac.paused).toBe(true);
          // The consumers' own streams only: an engine may send bandwidth probes (padding) before any media.
          const consumerSsrcs = [vc, ac].map((c) => c.rtpParameters.encodings?.[0]?.ssrc);
          await new Promise((r) => setTimeout(r, 300));
          expect(
            rx.packets.filter((p) => consumerSsrcs.includes(p.header.ssrc)).length,
            'nothing forwarded before resume(), audio or video',
          ).toBe(0);
          await vc.resume();
          await ac.resume();
          await waitFor(
            () =>
              rx.packets.filter((p) => p.header.ssrc === vc.rtpParameters.encodings?.[0]?.ssrc).length > 40,
            5000,
            'video packets',
          );
          await waitFor(
            () => rx.packets.some((p) => p.header.ssrc === ac.rtpParameters.encodings?.[0]?.ssrc),
            5000,
            'audio packets',
          );
          const vPackets = rx.packets.filter((p) => p.header.ssrc === vc.rtpParameters.encodings?.[0]?.ssrc);
          const vpt = vc.rtpParameters.codecs[0]?.payloadType;
          expect(vpt).not.toBe(96); // the router's payload type, not the producer's
          expect(vPackets.every((p) => p.header.payloadType === vpt)).toBe(true);
          expect(extensionText(vPackets[0] as RtpPacket, 1)).toBe(vc.rtpParameters.mid);
          // The first forwarded video packet starts a key frame: consumers begin on one.
          expect((vPackets[0] as RtpPacket).payload[4]! & 0x01).toBe(0);
          // Sequence numbers are contiguous.
          for (let i = 1; i < vPackets.length; i++) {
            expect(seqDiff(vPackets[i]!.header.sequenceNumber, vPackets[i - 1]!.header.sequenceNumber)).toBe(
              1,
            );
          }
          const aPacket = rx.packets.find(
            (p) => p.header.ssrc === ac.rtpParameters.encodings?.[0]?.ssrc,
          ) as RtpPacket;
          expect(aPacket.header.payloadType).toBe(ac.rtpParameters.codecs[0]?.payloadType);
          // Sender reports for lip sync reach the consumer, receiver reports reach the producer.
          await waitFor(
            () => rx.rtcp.some((p) => p.type === 200 && p.ssrc === vc.rtpParameters.encodings?.[0]?.ssrc),
            4000,
            'SR',
          );
          const stats = await vc.getStats();
          expect(stats[0]?.packetCount).toBeGreaterThan(40);
        } finally {
          sender.stop();
        }
      });

      it('relays a PLI from the consumer to the producer, rate-limited', async () => {
        const { a, b } = await peerPair();
        const video = new SyntheticSource({
          kind: 'video',
          payloadType: 96,
          bitrate: 300_000,
          frameRate: 30,
          extensions: [midExtension('0')],
        });
        const vp = await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
        });
        const sender = pump(a.peer, [video]);
        try {
          const vc = await b.transport.consume({
            producerId: vp.id,
            rtpCapabilities: consumerCapabilities(router),
            paused: false,
          });
          const rx = collect(b.peer);
          await waitFor(() => rx.packets.length > 10, 5000, 'packets');
          const before = sender.plis.get(video.ssrc) ?? 0;
          const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc as number;
          for (let i = 0; i < 10; i++) {
            b.peer.sendRtcp([
              new RtcpPayloadSpecificFeedback({
                feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: ssrc }),
              }),
            ]);
          }
          await waitFor(() => (sender.plis.get(video.ssrc) ?? 0) > before, 3000, 'relayed PLI');
          await new Promise((r) => setTimeout(r, 200));
          expect((sender.plis.get(video.ssrc) ?? 0) - before).toBeLessThanOrEqual(2);
          expect((await vc.getStats())[0]?.pliCount).toBe(10);
        } finally {
          sender.stop();
        }
      });

      // The loss is injected with the in-process werift transport's packet filter; the others have no such hook.
      it.skipIf(weriftOnly)(
        'answers NACKs from its packet buffer with RTX when 5% of packets are dropped on the way out',
        async () => {
          const { a, b } = await peerPair();
          const video = new SyntheticSource({
            kind: 'video',
            payloadType: 96,
            bitrate: 800_000,
            frameRate: 30,
            extensions: [midExtension('0')],
          });
          const vp = await a.transport.produce({
            kind: 'video',
            rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
          });
          const sender = pump(a.peer, [video]);
          try {
            const vc = await b.transport.consume({
              producerId: vp.id,
              rtpCapabilities: consumerCapabilities(router),
              paused: false,
            });
            const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc as number;
            const rtxSsrc = vc.rtpParameters.encodings?.[0]?.rtx?.ssrc as number;
            expect(rtxSsrc).toBeGreaterThan(0);
            let n = 0;
            (b.transport as WeriftWebRtcTransport).setPacketFilter(
              (dir, h) => dir === 'out' && h.ssrc === ssrc && ++n % 20 === 0,
            );
            const media = new Set<number>();
            const repaired = new Set<number>();
            let rtxCount = 0;
            b.peer.onRtp((p) => {
              if (p.header.ssrc === ssrc) media.add(p.header.sequenceNumber);
              if (p.header.ssrc === rtxSsrc) {
                rtxCount++;
                repaired.add(p.payload.readUInt16BE(0));
              }
            });
            // A browser-like receiver: NACK every gap it sees.
            let highest: number | undefined;
            b.peer.onRtp((p) => {
              if (p.header.ssrc !== ssrc) return;
              const seq = p.header.sequenceNumber;
              if (highest !== undefined && seqDiff(seq, highest) > 1) {
                const lost: number[] = [];
                for (let s = (highest + 1) & 0xffff; s !== seq; s = (s + 1) & 0xffff) lost.push(s);
                b.peer.sendRtcp([
                  new RtcpTransportLayerFeedback({
                    feedback: new GenericNack({ senderSsrc: 7, mediaSourceSsrc: ssrc, lost }),
                  }),
                ]);
              }
              if (highest === undefined || seqDiff(seq, highest) > 0) highest = seq;
            });
            await waitFor(() => n > 400, 15_000, '400 packets through the lossy filter');
            const dropped = (b.transport as WeriftWebRtcTransport).droppedByFilter;
            expect(dropped).toBeGreaterThanOrEqual(20);
            await new Promise((r) => setTimeout(r, 300));
            const [first] = [...media].sort((x, y) => x - y);
            const missing = [...Array(300).keys()]
              .map((i) => ((first as number) + 10 + i) & 0xffff)
              .filter((s) => !media.has(s));
            expect(missing.length).toBeGreaterThan(5);
            expect(missing.every((s) => repaired.has(s))).toBe(true);
            expect(rtxCount).toBeGreaterThanOrEqual(missing.length);
            expect((await vc.getStats())[0]?.retransmittedPackets).toBeGreaterThan(0);
            (b.transport as WeriftWebRtcTransport).setPacketFilter(undefined);
          } finally {
            sender.stop();
          }
        },
      );

      it('pauses and resumes producers and consumers, and cascades closes', async () => {
        const { a, b } = await peerPair();
        const video = new SyntheticSource({
          kind: 'video',
          payloadType: 96,
          bitrate: 300_000,
          frameRate: 30,
          extensions: [midExtension('0')],
        });
        const vp = await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
        });
        const sender = pump(a.peer, [video]);
        try {
          const vc = await b.transport.consume({
            producerId: vp.id,
            rtpCapabilities: consumerCapabilities(router),
            paused: false,
          });
          const rx = collect(b.peer);
          // The consumer's packets only: the engine may also send bandwidth probes (padding) to the receiver.
          const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc;
          const media = () => rx.packets.filter((p) => p.header.ssrc === ssrc);
          await waitFor(() => media().length > 10, 5000, 'packets');
          const events: string[] = [];
          vc.on('producerpause', () => events.push('producerpause'));
          vc.on('producerresume', () => events.push('producerresume'));
          vc.on('producerclose', () => events.push('producerclose'));
          await vp.pause();
          await new Promise((r) => setTimeout(r, 150));
          const atPause = media().length;
          await new Promise((r) => setTimeout(r, 300));
          expect(media().length).toBe(atPause);
          await vp.resume();
          await waitFor(() => media().length > atPause + 10, 5000, 'packets after resume');
          await vc.pause();
          await new Promise((r) => setTimeout(r, 150));
          const atConsumerPause = media().length;
          await new Promise((r) => setTimeout(r, 300));
          expect(media().length).toBe(atConsumerPause);
          await vc.resume();
          await waitFor(() => media().length > atConsumerPause + 10, 5000, 'packets after consumer resume');
          const afterResume = media().slice(atConsumerPause);
          // Resumed on a key frame with sequence numbers continuing from before the pause.
          expect(afterResume[0]!.payload[4]! & 1).toBe(0);
          expect(
            seqDiff(
              afterResume[0]!.header.sequenceNumber,
              media()[atConsumerPause - 1]!.header.sequenceNumber,
            ),
          ).toBe(1);
          vp.close();
          expect(vc.closed).toBe(true);
          expect(events).toEqual(['producerpause', 'producerresume', 'producerclose']);
          // Transport close cascades to its producers and consumers.
          const p2 = await a.transport.produce({
            kind: 'video',
            rtpParameters: videoProducerParameters({ mid: '5', ssrc: 1234 }),
          });
          const c2 = await b.transport.consume({
            producerId: p2.id,
            rtpCapabilities: consumerCapabilities(router),
          });
          const seen: string[] = [];
          p2.on('transportclose', () => seen.push('producer transportclose'));
          c2.on('producerclose', () => seen.push('consumer producerclose'));
          a.transport.close();
          expect(seen).toEqual(['consumer producerclose', 'producer transportclose']);
          expect(a.transport.closed).toBe(true);
        } finally {
          sender.stop();
        }
      });

      it('forwards one simulcast layer, switching on key frames with continuous sequence numbers and timestamps', async () => {
        const { a, b } = await peerPair();
        const rids = ['r0', 'r1', 'r2'];
        const layers = rids.map(
          (rid, i) =>
            new SyntheticSource({
              kind: 'video',
              payloadType: 96,
              bitrate: [150_000, 500_000, 1_200_000][i] as number,
              frameRate: 30,
              tag: i,
              extensions: [midExtension('0'), { id: EXT.rid, payload: Buffer.from(rid) }],
            }),
        );
        const vp = await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', rids }),
        });
        expect(vp.type).toBe('simulcast');
        const sender = pump(a.peer, layers);
        try {
          const vc = await b.transport.consume({
            producerId: vp.id,
            rtpCapabilities: consumerCapabilities(router),
            paused: false,
          });
          const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc as number;
          const changes: (number | null)[] = [];
          vc.on('layerschange', (l) => changes.push(l ? l.spatialLayer : null));
          const rx = collect(b.peer);
          const tags = () =>
            rx.packets
              .filter((p) => p.header.ssrc === ssrc)
              .map((p) => SyntheticSource.readPayload('video', p.payload).tag);
          await waitFor(() => tags().includes(2), 8000, 'the top layer');
          await vc.setPreferredLayers({ spatialLayer: 0 });
          await waitFor(() => tags().at(-1) === 0, 5000, 'switch to layer 0');
          // A receiver on a weak link: REMB of 300 kb/s keeps it at layer 0 even when it prefers layer 2.
          const remb = (bitrate: number) => b.peer.sendRtcp([createRemb(7, bitrate, [ssrc])]);
          remb(300_000);
          // Through getStats, which both engines fill from the receiver's feedback.
          const outgoing = async () =>
            (await b.transport.getStats())[0]?.availableOutgoingBitrate ?? Number.POSITIVE_INFINITY;
          const deadline = Date.now() + 2000;
          while ((await outgoing()) > 300_000) {
            if (Date.now() > deadline) throw new Error('REMB of 300 kb/s not applied within 2 s');
            await new Promise((r) => setTimeout(r, 20));
          }
          const probeBytes = () =>
            rx.packets
              .filter((p) => p.header.ssrc === PROBATOR_SSRC)
              .reduce((sum, p) => sum + p.header.paddingSize, 0);
          const probedBefore = probeBytes();
          await vc.setPreferredLayers({ spatialLayer: 2 });
          await new Promise((r) => setTimeout(r, 1500));
          expect(tags().at(-1)).toBe(0);
          if (name !== 'mediasoup') {
            // Held on layer 0 by the estimate while layer 1 (~350 kb/s more) is sent: padding makes up the
            // difference so a browser's estimate can rise (it never exceeds 1.5× what arrives).
            expect(probeBytes() - probedBefore).toBeGreaterThan(20_000);
          }
          remb(5_000_000);
          await waitFor(() => tags().at(-1) === 2, 5000, 'switch back up to layer 2');
          if (name !== 'mediasoup') {
            await new Promise((r) => setTimeout(r, 200));
            const probedAtTop = probeBytes();
            await new Promise((r) => setTimeout(r, 1000));
            expect(probeBytes(), 'no padding once the estimate allows the top layer').toBe(probedAtTop);
          }
          const packets = rx.packets.filter((p) => p.header.ssrc === ssrc);
          for (let i = 1; i < packets.length; i++) {
            const prev = packets[i - 1] as RtpPacket;
            const cur = packets[i] as RtpPacket;
            expect(seqDiff(cur.header.sequenceNumber, prev.header.sequenceNumber)).toBe(1);
            expect((cur.header.timestamp - prev.header.timestamp) >>> 0).toBeLessThan(90_000);
            const prevTag = SyntheticSource.readPayload('video', prev.payload).tag;
            const curTag = SyntheticSource.readPayload('video', cur.payload).tag;
            if (curTag !== prevTag) expect(cur.payload[4]! & 1, 'layer switch on a key frame').toBe(0);
          }
          expect(
            changes,
            `budget ${await outgoing()} ${JSON.stringify((await vp.getStats()).map((s) => s.bitrate))}`,
          ).toEqual([2, 0, 2]);
        } finally {
          sender.stop();
        }
      });

      it("starts a consumer transport's estimate at its configured bitrate: the top layer at once from a high start", async () => {
        const a = await connectPeer(router);
        const high = await connectPeer(router, { initialAvailableOutgoingBitrate: 3_000_000 });
        const low = await connectPeer(router, { initialAvailableOutgoingBitrate: 300_000 });
        peers.push(a.peer, high.peer, low.peer);
        const rids = ['r0', 'r1', 'r2'];
        const layers = rids.map(
          (rid, i) =>
            new SyntheticSource({
              kind: 'video',
              payloadType: 96,
              bitrate: [150_000, 500_000, 1_200_000][i] as number,
              frameRate: 30,
              tag: i,
              extensions: [midExtension('0'), { id: EXT.rid, payload: Buffer.from(rid) }],
            }),
        );
        const vp = await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', rids }),
        });
        const sender = pump(a.peer, layers);
        try {
          // No receiver feedback at all (the test peers send none unasked): the start value alone decides.
          const tagsOf = async (side: typeof high) => {
            const vc = await side.transport.consume({
              producerId: vp.id,
              rtpCapabilities: consumerCapabilities(router),
              paused: false,
            });
            const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc;
            const rx = collect(side.peer);
            return () =>
              rx.packets
                .filter((p) => p.header.ssrc === ssrc)
                .map((p) => SyntheticSource.readPayload('video', p.payload).tag);
          };
          const highTags = await tagsOf(high);
          const lowTags = await tagsOf(low);
          await waitFor(() => highTags().includes(2), 5000, 'the top layer from a 3 Mb/s start');
          // Settled once the layers' own bitrates are measured (an engine may try a layer while they ramp up).
          await waitFor(() => lowTags().at(-1) === 0, 5000, 'the lowest layer from a 300 kb/s start');
          await new Promise((r) => setTimeout(r, 500));
          const [highSettled, lowSettled] = [highTags().length, lowTags().length];
          await new Promise((r) => setTimeout(r, 1000));
          expect(new Set(highTags().slice(highSettled)), 'the 3 Mb/s start stays on the top layer').toEqual(
            new Set([2]),
          );
          expect(new Set(lowTags().slice(lowSettled)), 'the 300 kb/s start stays on the lowest').toEqual(
            new Set([0]),
          );
        } finally {
          sender.stop();
        }
      });

      it('pauses video for bandwidth below the lowest layer, keeps audio and probing, and resumes with a key frame', async () => {
        const { a, b } = await peerPair();
        const rids = ['r0', 'r1', 'r2'];
        const layers = rids.map(
          (rid, i) =>
            new SyntheticSource({
              kind: 'video',
              payloadType: 96,
              bitrate: [150_000, 500_000, 1_200_000][i] as number,
              frameRate: 30,
              tag: i,
              extensions: [midExtension('0'), { id: EXT.rid, payload: Buffer.from(rid) }],
            }),
        );
        const audio = new SyntheticSource({
          kind: 'audio',
          payloadType: 111,
          bitrate: 40_000,
          frameRate: 50,
          extensions: [midExtension('1'), { id: EXT.audioLevel, payload: Buffer.from([0x80 | 30]) }],
        });
        const vp = await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', rids }),
        });
        const ap = await a.transport.produce({
          kind: 'audio',
          rtpParameters: audioProducerParameters({ mid: '1', ssrc: audio.ssrc }),
        });
        const sender = pump(a.peer, [...layers, audio]);
        try {
          const caps = consumerCapabilities(router);
          const vc = await b.transport.consume({ producerId: vp.id, rtpCapabilities: caps, paused: false });
          const ac = await b.transport.consume({ producerId: ap.id, rtpCapabilities: caps, paused: false });
          const vSsrc = vc.rtpParameters.encodings?.[0]?.ssrc as number;
          const aSsrc = ac.rtpParameters.encodings?.[0]?.ssrc as number;
          const pauses: boolean[] = [];
          vc.on('bandwidthpausechange', (change) => pauses.push(change.paused));
          const layerChanges: (number | null)[] = [];
          vc.on('layerschange', (l) => layerChanges.push(l ? l.spatialLayer : null));
          const rx = collect(b.peer);
          const count = (ssrc: number) => rx.packets.filter((p) => p.header.ssrc === ssrc).length;
          const tags = () =>
            rx.packets
              .filter((p) => p.header.ssrc === vSsrc)
              .map((p) => SyntheticSource.readPayload('video', p.payload).tag);
          await waitFor(() => tags().includes(2), 8000, 'the top layer');
          const remb = (bitrate: number) => b.peer.sendRtcp([createRemb(7, bitrate, [vSsrc, aSsrc])]);

          // 120 kb/s leaves the video 56 kb/s once audio has its share: less than the lowest layer needs.
          remb(120_000);
          await waitFor(() => pauses.length > 0, 5000, 'the bandwidth pause');
          expect(pauses).toEqual([true]);
          expect(vc.bandwidthPaused).toBe(true);
          expect(vc.paused, 'not a pause by a person').toBe(false);
          expect(layerChanges.at(-1)).toBeNull();
          await new Promise((r) => setTimeout(r, 300));
          const videoWhilePaused = count(vSsrc);
          const audioWhilePaused = count(aSsrc);
          const probeBytes = () =>
            rx.packets
              .filter((p) => p.header.ssrc === PROBATOR_SSRC)
              .reduce((sum, p) => sum + p.header.paddingSize, 0);
          const probedBefore = probeBytes();
          await new Promise((r) => setTimeout(r, 1500));
          expect(count(vSsrc), 'no video while paused for bandwidth').toBe(videoWhilePaused);
          expect(count(aSsrc) - audioWhilePaused, 'audio continues').toBeGreaterThan(10);
          if (name !== 'mediasoup') {
            // Padding stands in for the paused video, or the receiver's estimate could never grow back.
            expect(probeBytes() - probedBefore).toBeGreaterThan(10_000);
          }

          // Recovery just above the resume threshold must hold before video comes back: no flapping.
          const plisBefore = sender.plis.get(layers[0]?.ssrc as number) ?? 0;
          remb(260_000);
          await new Promise((r) => setTimeout(r, 1000));
          expect(vc.bandwidthPaused, 'resumes only after the estimate held').toBe(true);
          await waitFor(() => pauses.length > 1, 8000, 'the bandwidth resume');
          expect(pauses).toEqual([true, false]);
          expect(vc.bandwidthPaused).toBe(false);
          await waitFor(() => count(vSsrc) > videoWhilePaused + 20, 5000, 'video again');
          expect(
            (sender.plis.get(layers[0]?.ssrc as number) ?? 0) - plisBefore,
            'a key frame asked of the producer',
          ).toBeGreaterThan(0);
          // 196 kb/s of budget carries the lowest layer only; the estimate going up takes it back up.
          expect(tags().at(-1)).toBe(0);
          remb(5_000_000);
          await waitFor(() => tags().at(-1) === 2, 8000, 'back up to layer 2');
        } finally {
          sender.stop();
        }
      });

      it("carries Opus in-band FEC and DTX from the browser's producer to its consumers", async () => {
        const { a, b } = await peerPair();
        // What mediasoup-client sends for a microphone produced with opusFec and opusDtx (the call's codecOptions).
        const base = audioProducerParameters({ mid: '0', ssrc: 4242 });
        const ap = await a.transport.produce({
          kind: 'audio',
          rtpParameters: {
            ...base,
            codecs: base.codecs.map((c) => ({
              ...c,
              parameters: { minptime: 10, useinbandfec: 1, usedtx: 1 },
            })),
          },
        });
        expect(ap.rtpParameters.codecs[0]?.parameters).toMatchObject({ useinbandfec: 1, usedtx: 1 });
        const ac = await b.transport.consume({
          producerId: ap.id,
          rtpCapabilities: consumerCapabilities(router),
        });
        const opus = ac.rtpParameters.codecs.find((c) => c.mimeType.toLowerCase() === 'audio/opus');
        expect(opus?.parameters, 'the receiving browser is told the stream has FEC and DTX').toMatchObject({
          useinbandfec: 1,
          usedtx: 1,
        });
      });

      it('sends transport-cc feedback for producers and restarts ICE', async () => {
        const { a } = await peerPair();
        let tseq = 0;
        const video = new SyntheticSource({
          kind: 'video',
          payloadType: 96,
          bitrate: 300_000,
          frameRate: 30,
          extensions: [midExtension('0')],
          transportCcId: EXT.twcc,
          nextTransportSeq: () => tseq++,
        });
        await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
        });
        const rtcp: RtcpPacket[] = [];
        a.peer.onRtcp((p) => rtcp.push(p));
        // Parsed whole from the bytes (run-length and status-vector chunks alike): engines choose chunk kinds freely.
        const feedbacks: TransportCcFeedback[] = [];
        a.peer.onRtcpBytes((compound) => feedbacks.push(...TransportCcFeedback.parseCompound(compound)));
        const sender = pump(a.peer, [video]);
        try {
          await waitFor(
            () => feedbacks.reduce((n, f) => n + f.received.length, 0) > 20,
            5000,
            'transport-cc feedback for 20 packets',
          );
          const reported = feedbacks.flatMap((f) => f.received.map((p) => p.sequence));
          // Every one reports packets that were sent (the loopback loses none), with their arrival deltas.
          expect(reported.every((seq) => seq < tseq)).toBe(true);
          expect(feedbacks.flatMap((f) => f.received).every((p) => p.deltaUs !== undefined)).toBe(true);
          const oldUfrag = a.transport.iceParameters.usernameFragment;
          const iceParameters = await a.transport.restartIce();
          expect(iceParameters.usernameFragment).not.toBe(oldUfrag);
          await a.peer.restartIce(iceParameters, a.transport.iceCandidates);
          const count = rtcp.length;
          await waitFor(() => rtcp.length > count + 3, 5000, 'RTCP after ICE restart');
        } finally {
          sender.stop();
        }
      });

      it('sends to the path the browser nominated last (a TURN relay it switched to), RTCP feedback included', async () => {
        const { a } = await peerPair();
        let tseq = 0;
        const video = new SyntheticSource({
          kind: 'video',
          payloadType: 96,
          bitrate: 300_000,
          frameRate: 30,
          extensions: [midExtension('0')],
          transportCcId: EXT.twcc,
          nextTransportSeq: () => tseq++,
        });
        await a.transport.produce({
          kind: 'video',
          rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }),
        });
        const sender = pump(a.peer, [video]);
        // A second path to the same browser, as Chromium's second TURN allocation: it checks and nominates it.
        const relay = createSocket('udp4');
        await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', resolve));
        const fromSfu: Buffer[] = [];
        relay.on('message', (data) => fromSfu.push(data));
        try {
          const [sfu] = a.transport.iceCandidates;
          const { usernameFragment, password } = a.transport.iceParameters;
          const nominate = new Message(methods.BINDING, classes.REQUEST, randomBytes(12))
            .setAttribute('USERNAME', `${usernameFragment}:browser`)
            .setAttribute('PRIORITY', 0x7e0000ff)
            .setAttribute('ICE-CONTROLLING', BigInt(`0x${randomBytes(8).toString('hex')}`))
            .setAttribute('USE-CANDIDATE', null)
            .addMessageIntegrity(Buffer.from(password, 'utf8'))
            .addFingerprint();
          relay.send(nominate.bytes, sfu!.port, sfu!.address);
          // RFC 7983: SRTCP starts 128–191 with a payload type 200–206; STUN starts 0–3.
          const isRtcp = (d: Buffer) => d[0]! >= 128 && d[0]! <= 191 && d[1]! >= 200 && d[1]! <= 206;
          await waitFor(() => fromSfu.some(isRtcp), 5000, 'RTCP to the newly nominated path');
          const [stats] = await a.transport.getStats();
          expect(stats?.iceSelectedTuple).toMatchObject({
            remoteIp: '127.0.0.1',
            remotePort: relay.address().port,
          });
        } finally {
          sender.stop();
          relay.close();
        }
      });

      it('reports the loudest audio producer, the dominant speaker and silence', async () => {
        const { a, b } = await peerPair();
        // ssrc-audio-level carries −dBov: 20 is loud, 50 quieter, 127 silence.
        const levelA = Buffer.from([0x80 | 50]);
        const levelB = Buffer.from([0x80 | 20]);
        const sources = [levelA, levelB].map(
          (level) =>
            new SyntheticSource({
              kind: 'audio',
              payloadType: 111,
              bitrate: 40_000,
              frameRate: 50,
              extensions: [midExtension('1'), { id: EXT.audioLevel, payload: level }],
            }),
        ) as [SyntheticSource, SyntheticSource];
        const [pa, pb] = [
          await a.transport.produce({
            kind: 'audio',
            rtpParameters: audioProducerParameters({ mid: '1', ssrc: sources[0].ssrc }),
          }),
          await b.transport.produce({
            kind: 'audio',
            rtpParameters: audioProducerParameters({ mid: '1', ssrc: sources[1].ssrc }),
          }),
        ];
        const observer = await router.createAudioLevelObserver({
          maxEntries: 2,
          threshold: -70,
          interval: 200,
        });
        await observer.addProducer({ producerId: pa.id });
        await observer.addProducer({ producerId: pb.id });
        const volumes: { producerId: string; volume: number }[][] = [];
        const dominant: string[] = [];
        let silences = 0;
        observer.on('volumes', (v) =>
          volumes.push(v.map((e) => ({ producerId: e.producer.id, volume: e.volume }))),
        );
        observer.on('dominantspeaker', (p) => dominant.push(p.id));
        observer.on('silence', () => silences++);
        const senders = [pump(a.peer, [sources[0]], 50), pump(b.peer, [sources[1]], 50)];
        try {
          // Producer B is louder (−20 dBov against −50): listed first, and the dominant speaker.
          await waitFor(
            () => dominant.length > 0 && volumes.length >= 2,
            3000,
            'volumes and a dominant speaker',
          );
          expect(dominant[0]).toBe(pb.id);
          const lastVolumes = volumes.at(-1) ?? [];
          expect(lastVolumes.map((v) => v.producerId)).toEqual([pb.id, pa.id]);
          expect(lastVolumes[0]?.volume).toBeCloseTo(-20, 0);
          expect(lastVolumes[1]?.volume).toBeCloseTo(-50, 0);
          // B goes quiet: A becomes the dominant speaker; then A goes silent too.
          levelB[0] = 0x80 | 127;
          await waitFor(() => dominant.at(-1) === pa.id, 3000, 'A dominant once B is silent');
          levelA[0] = 0x80 | 127;
          await waitFor(() => silences > 0, 3000, 'silence');
          expect(dominant).toEqual([pb.id, pa.id]);
        } finally {
          for (const s of senders) s.stop();
          observer.close();
        }
      });

      it('closes everything when the router closes, leaving no transport open', async () => {
        const r2 = await worker.createRouter();
        const t = await r2.createWebRtcTransport({ listenIp: '127.0.0.1' });
        let routerclose = 0;
        t.on('routerclose', () => routerclose++);
        r2.close();
        expect(t.closed).toBe(true);
        expect(routerclose).toBe(1);
        await expect(r2.createWebRtcTransport({ listenIp: '127.0.0.1' })).rejects.toThrow(/closed/);
      });
    },
  );
}
