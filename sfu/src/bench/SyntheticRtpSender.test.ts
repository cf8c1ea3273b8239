import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtpPacket } from 'werift';
import type { Router } from '../engine/Router.js';
import type { Worker } from '../engine/Worker.js';
import { randomSsrc } from '../engine/werift/rtpUtils.js';
import { WeriftEngine } from '../engine/werift/WeriftEngine.js';
import { connectPeer, consumerCapabilities, waitFor } from '../testing/loopbackHarness.js';
import type { RtcTestPeer } from '../testing/RtcTestPeer.js';
import { CAMERA_SIMULCAST_LAYERS, videoLayersFor, videoParametersFor } from './benchShape.js';
import { SyntheticRtpSender } from './SyntheticRtpSender.js';

describe("the bench's simulcast camera through the werift engine", () => {
  let worker: Worker;
  let router: Router;
  const peers: RtcTestPeer[] = [];

  beforeAll(async () => {
    worker = await new WeriftEngine().createWorker({ rtcMinPort: 46000, rtcMaxPort: 46099 });
    router = await worker.createRouter();
  });
  afterAll(async () => {
    for (const p of peers) await p.close();
    worker.close();
  });

  it('is accepted as mediasoup-client announces it, forwards the top layer, and answers the key frame a layer switch asks for', async () => {
    const sending = await connectPeer(router);
    // A well-connected receiver, as the bench starts its transports (3 Mb/s: room for the 1.5 Mb/s top layer).
    const receiving = await connectPeer(router, { initialAvailableOutgoingBitrate: 3_000_000 });
    peers.push(sending.peer, receiving.peer);
    const layers = videoLayersFor('simulcast', 'clinic');
    expect(layers).toBe(CAMERA_SIMULCAST_LAYERS);
    const parameters = videoParametersFor(layers, '0', 0);
    // rids and no SSRCs: the SFU must learn the SSRCs from the rid header extension.
    expect(parameters.encodings?.map((e) => [e.rid, e.ssrc, e.maxBitrate])).toEqual([
      ['r0', undefined, 150_000],
      ['r1', undefined, 500_000],
      ['r2', undefined, 1_500_000],
    ]);
    const producer = await sending.transport.produce({ kind: 'video', rtpParameters: parameters });
    const consumer = await receiving.transport.consume({
      producerId: producer.id,
      rtpCapabilities: consumerCapabilities(router),
      paused: false,
    });
    expect(consumer.type).toBe('simulcast');
    const consumerSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    const received: RtpPacket[] = [];
    receiving.peer.onRtp((p) => {
      if (p.header.ssrc === consumerSsrc) received.push(p);
    });
    const senders = new Map<number, SyntheticRtpSender>();
    const start = performance.now();
    layers.forEach((layer, index) => {
      const ssrc = randomSsrc();
      senders.set(
        ssrc,
        new SyntheticRtpSender(sending.peer, {
          kind: 'video',
          ssrc,
          mid: '0',
          ...(layer.rid ? { rid: layer.rid } : {}),
          layer: index,
          bitrate: layer.bitrate,
          frameRate: 30,
          startMs: start,
        }),
      );
    });
    sending.peer.onRtcp((packet) => SyntheticRtpSender.answerKeyFrameRequest(senders, packet));
    const timer = setInterval(() => {
      const now = performance.now();
      for (const s of senders.values()) {
        while (s.nextMs <= now) {
          s.sendFrame(now);
          s.nextMs += s.intervalMs;
        }
      }
    }, 10);
    const layerOf = (p: RtpPacket) => SyntheticRtpSender.readPayload('video', p.payload).layer;
    try {
      await waitFor(() => received.some((p) => layerOf(p) === 2), 8000, 'the top layer');
      await waitFor(() => consumer.currentLayers?.spatialLayer === 2, 8000, 'the consumer on the top layer');
      const settled = received.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(new Set(received.slice(settled).map(layerOf)), 'stays on the top layer').toEqual(new Set([2]));

      // The switch waits for a key frame on the lowest layer; the periodic one comes only every 10 s, so a
      // switch well within that shows the sender answered the SFU's key frame request.
      const askedAt = performance.now();
      const before = received.length;
      await consumer.setPreferredLayers({ spatialLayer: 0 });
      await waitFor(
        () => received.slice(before).some((p) => layerOf(p) === 0),
        4000,
        'the lowest layer after a preferred-layer change',
      );
      expect(performance.now() - askedAt).toBeLessThan(4000);
      const first = received.slice(before).find((p) => layerOf(p) === 0) as RtpPacket;
      expect((first.payload[4] as number) & 1, 'the switch lands on a key frame').toBe(0);
      const { frame } = SyntheticRtpSender.readPayload('video', first.payload);
      expect(frame % 300, 'an answered request, not the periodic key frame').not.toBe(0);
    } finally {
      clearInterval(timer);
    }
  });
});
