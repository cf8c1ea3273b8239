import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  type RtcpPacket,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  type RtpPacket,
} from 'werift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '../Router.js';
import type { Worker } from '../Worker.js';
import { RtcTestPeer } from '../../testing/RtcTestPeer.js';
import { SyntheticSource } from '../../testing/SyntheticSource.js';
import {
  audioProducerParameters,
  connectPeer,
  consumerCapabilities,
  EXT,
  extensionText,
  midExtension,
  videoProducerParameters,
  waitFor,
} from '../../testing/loopbackHarness.js';
import { seqDiff } from './rtpUtils.js';
import { WeriftEngine } from './WeriftEngine.js';
import type { WeriftWebRtcTransport } from './WeriftWebRtcTransport.js';

/** Sends a source's frames at its frame rate until stopped; answers PLI and NACK like a browser. */
function pump(peer: RtcTestPeer, sources: SyntheticSource[], frameRate = 30) {
  let rtxSeq = 1000;
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
          rtxSeq++;
        }
      }
    }
  });
  const timer = setInterval(() => {
    for (const s of sources) for (const p of s.nextFrame(performance.now())) peer.sendRtp(p.header, p.payload);
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

describe('werift engine on loopback', () => {
  let worker: Worker;
  let router: Router;
  const peers: RtcTestPeer[] = [];

  beforeAll(async () => {
    worker = await new WeriftEngine().createWorker({ rtcMinPort: 41000, rtcMaxPort: 41999 });
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
    for (const part of ['sdes:mid', 'rtp-stream-id', 'repaired-rtp-stream-id', 'abs-send-time', 'transport-wide-cc', 'ssrc-audio-level']) {
      expect(uris.some((u) => u.includes(part)), part).toBe(true);
    }
  });

  it('forwards audio and video with the consumer SSRC, payload type and MID; consumers start paused', async () => {
    const { a, b } = await peerPair();
    const video = new SyntheticSource({ kind: 'video', payloadType: 96, bitrate: 600_000, frameRate: 30, extensions: [midExtension('0')] });
    const audio = new SyntheticSource({ kind: 'audio', payloadType: 111, bitrate: 40_000, frameRate: 50, extensions: [midExtension('1'), { id: EXT.audioLevel, payload: Buffer.from([0x80 | 30]) }] });
    const vp = await a.transport.produce({ kind: 'video', rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }) });
    const ap = await a.transport.produce({ kind: 'audio', rtpParameters: audioProducerParameters({ mid: '1', ssrc: audio.ssrc }) });
    const sender = pump(a.peer, [video, audio]);
    const rx = collect(b.peer);
    try {
      const caps = consumerCapabilities(router);
      expect(router.canConsume({ producerId: vp.id, rtpCapabilities: caps })).toBe(true);
      const vc = await b.transport.consume({ producerId: vp.id, rtpCapabilities: caps });
      const ac = await b.transport.consume({ producerId: ap.id, rtpCapabilities: caps });
      expect(vc.paused).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.packets.length).toBe(0);
      await vc.resume();
      await ac.resume();
      await waitFor(() => rx.packets.filter((p) => p.header.ssrc === vc.rtpParameters.encodings?.[0]?.ssrc).length > 40, 5000, 'video packets');
      await waitFor(() => rx.packets.some((p) => p.header.ssrc === ac.rtpParameters.encodings?.[0]?.ssrc), 5000, 'audio packets');
      const vPackets = rx.packets.filter((p) => p.header.ssrc === vc.rtpParameters.encodings?.[0]?.ssrc);
      const vpt = vc.rtpParameters.codecs[0]?.payloadType;
      expect(vpt).not.toBe(96); // the router's payload type, not the producer's
      expect(vPackets.every((p) => p.header.payloadType === vpt)).toBe(true);
      expect(extensionText(vPackets[0] as RtpPacket, 1)).toBe(vc.rtpParameters.mid);
      // The first forwarded video packet starts a key frame: consumers begin on one.
      expect((vPackets[0] as RtpPacket).payload[4]! & 0x01).toBe(0);
      // Sequence numbers are contiguous.
      for (let i = 1; i < vPackets.length; i++) {
        expect(seqDiff(vPackets[i]!.header.sequenceNumber, vPackets[i - 1]!.header.sequenceNumber)).toBe(1);
      }
      const aPacket = rx.packets.find((p) => p.header.ssrc === ac.rtpParameters.encodings?.[0]?.ssrc) as RtpPacket;
      expect(aPacket.header.payloadType).toBe(ac.rtpParameters.codecs[0]?.payloadType);
      // Sender reports for lip sync reach the consumer, receiver reports reach the producer.
      await waitFor(() => rx.rtcp.some((p) => p.type === 200 && p.ssrc === vc.rtpParameters.encodings?.[0]?.ssrc), 4000, 'SR');
      const stats = await vc.getStats();
      expect(stats[0]?.packetCount).toBeGreaterThan(40);
    } finally {
      sender.stop();
    }
  });

  it('relays a PLI from the consumer to the producer, rate-limited', async () => {
    const { a, b } = await peerPair();
    const video = new SyntheticSource({ kind: 'video', payloadType: 96, bitrate: 300_000, frameRate: 30, extensions: [midExtension('0')] });
    const vp = await a.transport.produce({ kind: 'video', rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }) });
    const sender = pump(a.peer, [video]);
    try {
      const vc = await b.transport.consume({ producerId: vp.id, rtpCapabilities: consumerCapabilities(router), paused: false });
      const rx = collect(b.peer);
      await waitFor(() => rx.packets.length > 10, 5000, 'packets');
      const before = sender.plis.get(video.ssrc) ?? 0;
      const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc as number;
      for (let i = 0; i < 10; i++) {
        b.peer.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: ssrc }) })]);
      }
      await waitFor(() => (sender.plis.get(video.ssrc) ?? 0) > before, 3000, 'relayed PLI');
      await new Promise((r) => setTimeout(r, 200));
      expect((sender.plis.get(video.ssrc) ?? 0) - before).toBeLessThanOrEqual(2);
      expect((await vc.getStats())[0]?.pliCount).toBe(10);
    } finally {
      sender.stop();
    }
  });
});
