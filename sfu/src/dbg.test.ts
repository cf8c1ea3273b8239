import { PictureLossIndication, RtcpPayloadSpecificFeedback } from 'werift';
import { it } from 'vitest';
import { WeriftEngine } from './engine/werift/WeriftEngine.js';
import { SyntheticSource } from './testing/SyntheticSource.js';
import { connectPeer, consumerCapabilities, midExtension, videoProducerParameters, waitFor } from './testing/loopbackHarness.js';

it('dbg', async () => {
  const worker = await new WeriftEngine().createWorker({ rtcMinPort: 42000, rtcMaxPort: 42999 });
  const router = await worker.createRouter();
  const a = await connectPeer(router);
  const b = await connectPeer(router);
  const video = new SyntheticSource({ kind: 'video', payloadType: 96, bitrate: 300_000, frameRate: 30, extensions: [midExtension('0')] });
  const vp = await a.transport.produce({ kind: 'video', rtpParameters: videoProducerParameters({ mid: '0', ssrc: video.ssrc }) });
  a.peer.onRtcp((p) => console.log('A rtcp', p.type, (p as any).feedback?.constructor?.name, JSON.stringify((p as any).feedback ?? {}, (k, v) => typeof v === 'bigint' ? String(v) : v).slice(0, 100)));
  const t = setInterval(() => { for (const p of video.nextFrame(0)) a.peer.sendRtp(p.header, p.payload); }, 33);
  const vc = await b.transport.consume({ producerId: vp.id, rtpCapabilities: consumerCapabilities(router), paused: false });
  let n = 0;
  b.peer.onRtp(() => n++);
  await waitFor(() => n > 10, 5000, 'pk');
  console.log('sending PLI', video.ssrc);
  const ssrc = vc.rtpParameters.encodings?.[0]?.ssrc as number;
  b.peer.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: 1, mediaSsrc: ssrc }) })]);
  await new Promise((r) => setTimeout(r, 1500));
  console.log((await vc.getStats())[0]);
  clearInterval(t);
  await a.peer.close(); await b.peer.close(); worker.close();
});
