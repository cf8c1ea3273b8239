import type { SfuControlMethod, SfuControlRequest, SfuControlResponse } from '@telemed/shared';
import { Device } from 'mediasoup-client';
import type { RtpCapabilities, RtpParameters, Transport, TransportOptions } from 'mediasoup-client/types';

/** The test page: mediasoup-client against the SFU, with signaling bridged to Node by `window.sfu`. */
type Sfu = <M extends SfuControlMethod>(
  method: M,
  request: SfuControlRequest<M>,
) => Promise<SfuControlResponse<M>>;

interface PageApi {
  sfu: Sfu;
  startProducer(roomId: string): Promise<{ audio: string; video: string }>;
  startConsumer(
    roomId: string,
    producerIds: string[],
  ): Promise<{ transportId: string; consumerIds: string[] }>;
  inboundStats(): Promise<Record<string, number | string>[]>;
  /** The send side: the bandwidth estimate and, per simulcast layer, bytes, frame size and what limits it. */
  outboundStats(): Promise<{
    availableOutgoingBitrate: number;
    layers: {
      rid: string;
      bytesSent: number;
      frameWidth: number;
      frameHeight: number;
      qualityLimitationReason: string;
    }[];
  }>;
}

const w = window as unknown as Window & PageApi;
let recvTransport: Transport | undefined;
let sendTransport: Transport | undefined;

async function loadDevice(roomId: string): Promise<Device> {
  const device = new Device();
  const { rtpCapabilities } = await w.sfu('getRouterRtpCapabilities', { roomId });
  // The contract's zod types are looser than mediasoup-client's; the SFU sends mediasoup's shape.
  await device.load({ routerRtpCapabilities: rtpCapabilities as unknown as RtpCapabilities });
  return device;
}

async function transportFor(device: Device, roomId: string, direction: 'send' | 'recv'): Promise<Transport> {
  const t = await w.sfu('createWebRtcTransport', { roomId, direction });
  const options = {
    id: t.transportId,
    iceParameters: t.iceParameters,
    iceCandidates: t.iceCandidates,
    dtlsParameters: t.dtlsParameters,
    iceServers: t.iceServers,
  } as unknown as TransportOptions;
  const transport =
    direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    w.sfu('connectWebRtcTransport', {
      roomId,
      transportId: t.transportId,
      dtlsParameters: dtlsParameters as never,
    }).then(() => callback(), errback);
  });
  transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    w.sfu('produce', {
      roomId,
      transportId: t.transportId,
      kind,
      rtpParameters: rtpParameters as never,
    }).then((r) => callback({ id: r.producerId }), errback);
  });
  return transport;
}

w.startProducer = async (roomId) => {
  const device = await loadDevice(roomId);
  const transport = await transportFor(device, roomId, 'send');
  sendTransport = transport;
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: true,
    video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  });
  const audio = await transport.produce({ track: stream.getAudioTracks()[0] as MediaStreamTrack });
  const video = await transport.produce({
    track: stream.getVideoTracks()[0] as MediaStreamTrack,
    encodings: [
      { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      { scaleResolutionDownBy: 2, maxBitrate: 600_000 },
      { scaleResolutionDownBy: 1, maxBitrate: 1_800_000 },
    ],
    codecOptions: { videoGoogleStartBitrate: 1000 },
  });
  return { audio: audio.id, video: video.id };
};

w.startConsumer = async (roomId, producerIds) => {
  const device = await loadDevice(roomId);
  const transport = await transportFor(device, roomId, 'recv');
  recvTransport = transport;
  const consumerIds: string[] = [];
  for (const producerId of producerIds) {
    const r = await w.sfu('consume', {
      roomId,
      transportId: transport.id,
      producerId,
      rtpCapabilities: device.rtpCapabilities as never,
    });
    const consumer = await transport.consume({
      id: r.consumerId,
      producerId,
      kind: r.kind,
      rtpParameters: r.rtpParameters as unknown as RtpParameters,
    });
    const element = document.createElement(consumer.kind === 'video' ? 'video' : 'audio');
    element.autoplay = true;
    element.muted = true;
    element.srcObject = new MediaStream([consumer.track]);
    document.getElementById('videos')?.appendChild(element);
    void element.play().catch(() => undefined);
    await w.sfu('resumeConsumer', { roomId, consumerId: r.consumerId });
    consumerIds.push(r.consumerId);
  }
  return { transportId: transport.id, consumerIds };
};

w.inboundStats = async () => {
  if (!recvTransport) return [];
  const report = await recvTransport.getStats();
  const out: Record<string, number | string>[] = [];
  report.forEach((s) => {
    // The probator stream carries the SFU's bandwidth probes, never media.
    if (s.type === 'inbound-rtp' && s.mid !== 'probator') {
      out.push({
        kind: s.kind,
        packetsReceived: s.packetsReceived ?? 0,
        packetsLost: s.packetsLost ?? 0,
        framesDecoded: s.framesDecoded ?? 0,
        frameWidth: s.frameWidth ?? 0,
        frameHeight: s.frameHeight ?? 0,
        nackCount: s.nackCount ?? 0,
        pliCount: s.pliCount ?? 0,
        bytesReceived: s.bytesReceived ?? 0,
      });
    }
  });
  return out;
};

w.outboundStats = async () => {
  const result: Awaited<ReturnType<PageApi['outboundStats']>> = { availableOutgoingBitrate: 0, layers: [] };
  if (!sendTransport) return result;
  const report = await sendTransport.getStats();
  report.forEach((s) => {
    if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate !== undefined) {
      result.availableOutgoingBitrate = s.availableOutgoingBitrate;
    }
    if (s.type === 'outbound-rtp' && s.kind === 'video') {
      result.layers.push({
        rid: s.rid ?? '',
        bytesSent: s.bytesSent ?? 0,
        frameWidth: s.frameWidth ?? 0,
        frameHeight: s.frameHeight ?? 0,
        qualityLimitationReason: s.qualityLimitationReason ?? '',
      });
    }
  });
  return result;
};
