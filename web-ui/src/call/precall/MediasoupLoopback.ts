import type { SignalingAck } from '@telemed/shared';
import { Device } from 'mediasoup-client';
import type {
  ConnectionState,
  Consumer,
  Producer,
  RtpCapabilities,
  Transport,
  TransportOptions,
} from 'mediasoup-client/types';
import type { CallSignal } from '../SignalClient.js';
import type { LoopbackSample } from './loopbackMeasurement.js';
import type { Loopback, LoopbackOpener } from './NetworkTest.js';

/** Room for the link to show what it carries: above the verdict's video threshold, below a clinic's whole uplink. */
const testMaxBitrate = 1_500_000;

/**
 * Loopbacks through the SFU over signaling's `network-test:*` flow with mediasoup-client: a send and a receive
 * transport on a router of the test's own, the test video produced on one and consumed back on the other.
 * `testTrack` gives the video to send (a canvas pattern, or the camera); the track is stopped on close.
 */
export class MediasoupLoopbackOpener implements LoopbackOpener {
  readonly #signal: CallSignal;
  readonly #testTrack: () => MediaStreamTrack;

  constructor(signal: CallSignal, testTrack: () => MediaStreamTrack) {
    this.#signal = signal;
    this.#testTrack = testTrack;
  }

  async open(policy: RTCIceTransportPolicy, connectTimeoutMs: number): Promise<Loopback | null> {
    const signal = this.#signal;
    await signal.connect();
    const started = await signal.request('network-test:start');
    const loopback = new MediasoupLoopback(signal, started, policy);
    try {
      if (await loopback.connect(this.#testTrack(), connectTimeoutMs)) return loopback;
    } catch (error) {
      await loopback.close();
      throw error;
    }
    await loopback.close();
    return null;
  }
}

class MediasoupLoopback implements Loopback {
  readonly #signal: CallSignal;
  readonly #started: SignalingAck<'network-test:start'>;
  readonly #policy: RTCIceTransportPolicy;
  #send: Transport | undefined;
  #recv: Transport | undefined;
  #producer: Producer | undefined;
  #consumer: Consumer | undefined;
  #track: MediaStreamTrack | undefined;
  #closed = false;

  constructor(
    signal: CallSignal,
    started: SignalingAck<'network-test:start'>,
    policy: RTCIceTransportPolicy,
  ) {
    this.#signal = signal;
    this.#started = started;
    this.#policy = policy;
  }

  /** Sends the track round the loopback; false when either transport did not connect in time. */
  async connect(track: MediaStreamTrack, timeoutMs: number): Promise<boolean> {
    this.#track = track;
    const device = new Device();
    await device.load({ routerRtpCapabilities: this.#started.rtpCapabilities as RtpCapabilities });
    const send = this.#transport(device, this.#started.send, 'send');
    const recv = this.#transport(device, this.#started.recv, 'recv');
    this.#send = send;
    this.#recv = recv;
    // Producing is what makes the send transport connect; a transport that never connects never answers it.
    const producing = send.produce({ track, encodings: [{ maxBitrate: testMaxBitrate }], stopTracks: false });
    // Closed unanswered when the transport never connects: that failure is the `false` below, not an error.
    producing.catch(() => undefined);
    if (!(await connected(send, timeoutMs))) return false;
    this.#producer = await producing;
    const answer = await this.#signal.request('network-test:consume', {
      producerId: this.#producer.id,
      rtpCapabilities: device.rtpCapabilities as never,
    });
    this.#consumer = await recv.consume({
      id: answer.consumerId,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as never,
    });
    await this.#signal.request('network-test:resume-consumer', { consumerId: answer.consumerId });
    return connected(recv, timeoutMs);
  }

  async sample(): Promise<LoopbackSample> {
    const sample: LoopbackSample = {
      atMs: performance.now(),
      bytesSent: 0,
      bytesReceived: 0,
      packetsReceived: 0,
      packetsLost: 0,
      rttMs: null,
    };
    if (this.#send && !this.#send.closed) {
      (await this.#send.getStats()).forEach((s) => {
        if (s.type === 'outbound-rtp') sample.bytesSent += s.bytesSent ?? 0;
        if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') {
          sample.rttMs = s.currentRoundTripTime * 1000;
        }
      });
    }
    if (this.#recv && !this.#recv.closed) {
      (await this.#recv.getStats()).forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        sample.bytesReceived += s.bytesReceived ?? 0;
        sample.packetsReceived += s.packetsReceived ?? 0;
        sample.packetsLost += s.packetsLost ?? 0;
      });
    }
    return sample;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#consumer?.close();
    this.#producer?.close();
    this.#send?.close();
    this.#recv?.close();
    this.#track?.stop();
    // The server closes the test with the socket or its time limit anyway: a failed stop loses nothing.
    await this.#signal.request('network-test:stop').catch(() => undefined);
  }

  #transport(device: Device, answer: SignalingAck<'network-test:start'>['send'], direction: 'send' | 'recv') {
    const options = {
      id: answer.transportId,
      iceParameters: answer.iceParameters,
      iceCandidates: answer.iceCandidates,
      dtlsParameters: answer.dtlsParameters,
      iceServers: answer.iceServers,
      iceTransportPolicy: this.#policy,
    } as unknown as TransportOptions;
    const transport =
      direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signal
        .request('network-test:connect-transport', {
          transportId: transport.id,
          dtlsParameters: dtlsParameters as never,
        })
        .then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      this.#signal
        .request('network-test:produce', {
          transportId: transport.id,
          kind,
          rtpParameters: rtpParameters as never,
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    return transport;
  }
}

/** Whether the transport reaches `connected` within the time given (false at once if it fails). */
function connected(transport: Transport, timeoutMs: number): Promise<boolean> {
  if (transport.connectionState === 'connected') return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onChange = (state: ConnectionState) => {
      if (state === 'connected') finish(true);
      else if (state === 'failed' || state === 'closed') finish(false);
    };
    const finish = (result: boolean) => {
      clearTimeout(timer);
      transport.off('connectionstatechange', onChange);
      done(result);
    };
    transport.on('connectionstatechange', onChange);
  });
}
