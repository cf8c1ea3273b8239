import { Device } from 'mediasoup-client';
import type {
  DtlsParameters,
  RtpCapabilities,
  RtpParameters,
  Transport,
  TransportOptions,
} from 'mediasoup-client/types';

/**
 * The test page: mediasoup-client driven only by signaling's `media:*` events. `window.signal(event, payload)`
 * is bridged by the test to the page's Socket.IO socket and resolves with the ack's data (or throws its error),
 * so this page never sees the SFU's control API, as a real call client never does.
 */
type Signal = (event: string, payload: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface ProducerInfo {
  producerId: string;
  participantId: string;
  kind: string;
}

interface PageApi {
  signal: Signal;
  startProducer(appointmentId: string): Promise<{ video: string }>;
  startConsumer(appointmentId: string): Promise<{ transportId: string; consumerIds: string[] }>;
  stopConsumer(): void;
  videoFramesDecoded(): Promise<number>;
}

const w = window as unknown as Window & PageApi;
let recvTransport: Transport | undefined;

async function loadDevice(appointmentId: string): Promise<{ device: Device; producers: ProducerInfo[] }> {
  const answer = await w.signal('media:router-capabilities', { appointmentId });
  const device = new Device();
  await device.load({ routerRtpCapabilities: answer.rtpCapabilities as RtpCapabilities });
  return { device, producers: answer.producers as ProducerInfo[] };
}

async function transportFor(
  device: Device,
  appointmentId: string,
  direction: 'send' | 'recv',
): Promise<Transport> {
  const t = await w.signal('media:create-transport', { appointmentId, direction });
  const options = { ...t, id: t.transportId } as unknown as TransportOptions;
  const transport =
    direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
  transport.on('connect', ({ dtlsParameters }: { dtlsParameters: DtlsParameters }, callback, errback) => {
    w.signal('media:connect-transport', { appointmentId, transportId: transport.id, dtlsParameters }).then(
      () => callback(),
      errback,
    );
  });
  transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    w.signal('media:produce', { appointmentId, transportId: transport.id, kind, rtpParameters }).then(
      (r) => callback({ id: r.producerId as string }),
      errback,
    );
  });
  return transport;
}

w.startProducer = async (appointmentId) => {
  const { device } = await loadDevice(appointmentId);
  const transport = await transportFor(device, appointmentId, 'send');
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } },
  });
  // Two simulcast layers (180p and 360p), so that the consumer's preferred layers can move between them.
  const video = await transport.produce({
    track: stream.getVideoTracks()[0] as MediaStreamTrack,
    encodings: [
      { scaleResolutionDownBy: 2, maxBitrate: 200_000 },
      { scaleResolutionDownBy: 1, maxBitrate: 700_000 },
    ],
  });
  return { video: video.id };
};

w.startConsumer = async (appointmentId) => {
  const { device, producers } = await loadDevice(appointmentId);
  const transport = await transportFor(device, appointmentId, 'recv');
  recvTransport = transport;
  const consumerIds: string[] = [];
  for (const { producerId } of producers) {
    const r = await w.signal('media:consume', {
      appointmentId,
      producerId,
      rtpCapabilities: device.rtpCapabilities,
    });
    const consumer = await transport.consume({
      id: r.consumerId as string,
      producerId,
      kind: r.kind as 'audio' | 'video',
      rtpParameters: r.rtpParameters as RtpParameters,
    });
    const element = document.createElement('video');
    element.autoplay = true;
    element.muted = true;
    element.srcObject = new MediaStream([consumer.track]);
    document.getElementById('videos')?.appendChild(element);
    void element.play().catch(() => undefined);
    await w.signal('media:resume-consumer', { appointmentId, consumerId: consumer.id });
    consumerIds.push(consumer.id);
  }
  return { transportId: transport.id, consumerIds };
};

/** The consumer's link is gone with its socket: what a call client does before it sets up again. */
w.stopConsumer = () => {
  recvTransport?.close();
  recvTransport = undefined;
  document.getElementById('videos')?.replaceChildren();
};

w.videoFramesDecoded = async () => {
  if (!recvTransport) return 0;
  const report = await recvTransport.getStats();
  let frames = 0;
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video' && s.mid !== 'probator')
      frames += s.framesDecoded ?? 0;
  });
  return frames;
};
