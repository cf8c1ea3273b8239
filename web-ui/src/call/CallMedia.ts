import type { MediaSource, ProducerPauseReason, RoomProducer, SignalingAck } from '@telemed/shared';
import { Device } from 'mediasoup-client';
import type {
  ConnectionState,
  Consumer,
  Producer,
  RtpCapabilities,
  RtpEncodingParameters,
  Transport,
  TransportOptions,
} from 'mediasoup-client/types';
import { codecOptionsFor } from './quality/opusCodecOptions.js';
import { UplinkGuard } from './quality/UplinkGuard.js';
import { uplinkPauseBelowKbps } from './quality/uplinkBudget.js';
import { MediaStallDetector, type TransportTraffic } from './recovery/MediaStallDetector.js';
import { onNetworkChange } from './recovery/networkChanges.js';
import { MediaConnectionState, TransportRecovery } from './recovery/TransportRecovery.js';
import type { CallSignal } from './SignalClient.js';
import { TypedEmitter } from './TypedEmitter.js';

/** What a producer carries, in its appData; signaling passes it on, so the other side can tell a screen from a camera. */
export type { MediaSource };
export { MediaConnectionState };

/**
 * The camera's three simulcast layers (quarter, half and full resolution), so the SFU can send each viewer what
 * its link holds. Bitrates are caps, sized for a 640×480 to 1280×720 camera. Chromium sends a layer only when its
 * target covers the layers below at their caps plus the layer's own minimum (150 kb/s at 640×360). A 384 kb/s
 * uplink with 5% loss leaves an estimate of about 300 kb/s, less audio and loss protection: with the lowest layer
 * capped at 150 kb/s the middle one was never sent there (the bench measured 320×180); capped at 60 kb/s (plenty
 * for a 320×180 thumbnail) the middle one, the diagnostic picture, fits.
 */
export const cameraSimulcastEncodings: RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 60_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/** Link quality measured by the browser over the last sampling period. */
export interface LinkSample {
  /** Lost packets over the period, 0..1; null when nothing flowed. */
  lossRatio: number | null;
  /** Round trip in milliseconds; null when unknown. */
  rttMs: number | null;
}

export interface MediaSample {
  send: LinkSample;
  /** What we receive from each participant. */
  receive: Record<string, LinkSample>;
}

/** One remote video as this browser decodes it (`inbound-rtp`). */
export interface ReceivedVideo {
  participantId: string;
  consumerId: string;
  source: MediaSource;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  /** What arrived and what the decoder asked for, to tell a path that went quiet from a decoder waiting for a key frame. */
  packetsReceived: number;
  framesReceived: number;
  keyFramesDecoded: number;
  pliCount: number;
  nackCount: number;
}

/** The others' media by participant, split by source, as a call screen lays it out. */
export interface RemoteStreams {
  /** Each participant's camera and microphone: their tile. */
  streams: Record<string, MediaStream>;
  /** Each participant's screen share, while they share: a call screen shows it large. */
  screens: Record<string, MediaStream>;
}

export type CallMediaEvents = {
  /** The remote streams changed (a track came or went). */
  'remote-streams': [RemoteStreams];
  /** The media link's state (`reconnecting` while ICE restarts or the transports are made anew). */
  connection: [MediaConnectionState];
  /** Our camera paused (true) or resumed (false) because our own uplink cannot carry it (`UplinkGuard`). */
  'uplink-video': [boolean];
};

/** What the call needs of its media; the call client's tests put a double in its place. */
export interface CallMediaPort {
  start(): Promise<void>;
  publish(stream: MediaStream): Promise<void>;
  consume(producer: RoomProducer): Promise<void>;
  producerClosed(producerId: string): void;
  consumerClosed(consumerId: string): void;
  setMicrophoneMuted(muted: boolean): Promise<void>;
  setCameraOff(off: boolean): Promise<void>;
  replaceTrack(track: MediaStreamTrack): Promise<void>;
  startScreenShare(track: MediaStreamTrack): Promise<void>;
  stopScreenShare(): Promise<void>;
  ownsProducer(producerId: string): boolean;
  participantOfConsumer(consumerId: string): string | undefined;
  /** Signaling says the room's transports are gone (its SFU node died): make them anew, send and receive again. */
  reset(): void;
  /** Both transports' ids once both are made (else none): what a rejoin through another node asks to keep. */
  transportIds(): string[];
  /**
   * Signaling adopted our transports after a rejoin (`media:resume`): everything goes on as it was; `producers`
   * are the others' producers now, those missed while the link was away are consumed and those gone dropped.
   */
  resumed(producers: RoomProducer[]): Promise<void>;
  sample(): Promise<MediaSample>;
  receivedVideo(): Promise<ReceivedVideo[]>;
  on<E extends keyof CallMediaEvents>(event: E, listener: (...args: CallMediaEvents[E]) => void): () => void;
  close(): void;
}

export interface CallMediaOptions {
  /** `relay`: media only through the TURN servers in the SFU's answer (see `CallClientOptions`). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * Settles once the call's rejoin under way, if any, is over (`CallClient`): a new socket is in no room until
   * then, and the rejoin may resume these transports or replace them, so an ICE restart waits for it.
   */
  untilRejoined?: () => Promise<void>;
}

interface RemoteTrack {
  consumer: Consumer;
  participantId: string;
  source: MediaSource;
  lastLost: number;
  lastReceived: number;
}

/**
 * One participant's media in one room, over signaling only (the browser never reaches the SFU's control API):
 * the mediasoup-client Device, a send and a receive transport, the local producers, and a consumer for each of
 * the others' producers. A lost path or a network change restarts ICE, and if that does not bring media back the
 * transports are made anew (`TransportRecovery` decides; `#restartIce` and `#recreate` act). `close()` closes
 * everything it made, once.
 */
export class CallMedia implements CallMediaPort {
  readonly #signal: CallSignal;
  readonly #appointmentId: string;
  readonly #events = new TypedEmitter<CallMediaEvents>();
  #device: Device | undefined;
  #send: Transport | undefined;
  #recv: Transport | undefined;
  #ready: Promise<void> | undefined;
  #transports: Promise<void> | undefined;
  readonly #producers = new Map<MediaSource, Producer>();
  readonly #remote = new Map<string, RemoteTrack>();
  /** Producers announced before the receive transport existed, consumed once it does. */
  readonly #pending = new Map<string, RoomProducer>();
  #closed = false;
  readonly #options: CallMediaOptions;
  readonly #recovery: TransportRecovery;
  readonly #stopNetworkWatch: () => void;
  readonly #stalls = new MediaStallDetector();
  #trafficTimer: ReturnType<typeof setInterval> | undefined;
  #readingTraffic = false;
  /** The media path's last round trip (the selected candidate pair's), for how long signaling may take to answer. */
  #pathRttMs: number | undefined;
  readonly #uplink = new UplinkGuard({ pauseBelowKbps: uplinkPauseBelowKbps(cameraSimulcastEncodings) });
  #uplinkTimer: ReturnType<typeof setInterval> | undefined;
  /** The send transport's estimate as last read (kb/s; null before the browser has one), for `UplinkGuard`. */
  #sendEstimate: { transportId: string; kbps: number | null } | undefined;
  #readingUplink = false;
  /** The person turned the camera off. */
  #cameraOff = false;
  /** Why the camera producer is paused on the SFU now (undefined: it is not). */
  #cameraPausedFor: ProducerPauseReason | undefined;

  constructor(signal: CallSignal, appointmentId: string, options: CallMediaOptions = {}) {
    this.#signal = signal;
    this.#appointmentId = appointmentId;
    this.#options = options;
    this.#recovery = new TransportRecovery({
      restartIce: () => this.#restartIce(),
      recreate: () => this.#recreate(),
      onState: (state) => this.#events.emit('connection', state),
    });
    this.#stopNetworkWatch = onNetworkChange(() => this.#recovery.networkChanged());
  }

  /** How often the transports' traffic is read for `MediaStallDetector`. */
  static readonly trafficIntervalMs = 250;
  /** How often the send transport's estimate is read for `UplinkGuard`. */
  static readonly uplinkIntervalMs = 1_000;

  /**
   * How long the signaling link may take to answer a check: a second on a short path, more on a long one (the
   * same network carries both), never so long that a dead link holds the recovery up.
   */
  #linkCheckMs(): number {
    return Math.min(3_000, Math.max(1_000, 500 + 3 * (this.#pathRttMs ?? 0)));
  }

  get connectionState(): MediaConnectionState {
    return this.#recovery.state;
  }

  reset(): void {
    this.#recovery.recreateNow();
  }

  transportIds(): string[] {
    const send = this.#send;
    const recv = this.#recv;
    if (this.#closed || !send || !recv || send.closed || recv.closed) return [];
    return [send.id, recv.id];
  }

  async resumed(producers: RoomProducer[]): Promise<void> {
    const now = new Set(producers.map((p) => p.producerId));
    for (const remote of [...this.#remote.values()]) {
      if (!now.has(remote.consumer.producerId)) this.producerClosed(remote.consumer.producerId);
    }
    for (const producerId of [...this.#pending.keys()])
      if (!now.has(producerId)) this.#pending.delete(producerId);
    await Promise.allSettled(producers.map((producer) => this.#consume(producer)));
  }

  on<E extends keyof CallMediaEvents>(event: E, listener: (...args: CallMediaEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** Loads the Device with the room's router, makes both transports, and consumes the producers already there. */
  start(): Promise<void> {
    this.#ready ??= this.#start();
    return this.#ready;
  }

  async #start(): Promise<void> {
    await this.#transportsReady();
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    // One request after another would wait a round trip each; signaling serialises them for us anyway.
    await Promise.all(waiting.map((producer) => this.#consume(producer)));
  }

  /** The Device and both transports: all that publishing needs, so it need not wait for the consumers. */
  #transportsReady(): Promise<void> {
    this.#transports ??= this.#makeTransports();
    return this.#transports;
  }

  async #makeTransports(): Promise<void> {
    const appointmentId = this.#appointmentId;
    const { rtpCapabilities, producers } = await this.#signal.request('media:router-capabilities', {
      appointmentId,
    });
    const device = new Device();
    await device.load({ routerRtpCapabilities: rtpCapabilities as RtpCapabilities });
    this.#device = device;
    const [send, recv] = await Promise.all([
      this.#signal.request('media:create-transport', { appointmentId, direction: 'send' }),
      this.#signal.request('media:create-transport', { appointmentId, direction: 'recv' }),
    ]);
    this.#send = this.#transport(send, 'send');
    this.#recv = this.#transport(recv, 'recv');
    this.#trafficTimer ??= setInterval(() => void this.#watchTraffic(), CallMedia.trafficIntervalMs);
    this.#uplinkTimer ??= setInterval(() => void this.#guardUplink(), CallMedia.uplinkIntervalMs);
    for (const producer of producers) this.#pending.set(producer.producerId, producer);
  }

  /** The camera with three simulcast layers and the microphone; the tracks stay ours when the producer closes. */
  async publish(stream: MediaStream): Promise<void> {
    await this.#transportsReady();
    const [video] = stream.getVideoTracks();
    const [audio] = stream.getAudioTracks();
    if (video) await this.#produce('camera', video, cameraSimulcastEncodings);
    if (audio) await this.#produce('microphone', audio);
  }

  async consume(producer: RoomProducer): Promise<void> {
    if (!this.#recv) {
      this.#pending.set(producer.producerId, producer);
      return;
    }
    await this.#consume(producer);
  }

  producerClosed(producerId: string): void {
    this.#pending.delete(producerId);
    for (const [consumerId, remote] of this.#remote) {
      if (remote.consumer.producerId === producerId) this.consumerClosed(consumerId);
    }
  }

  consumerClosed(consumerId: string): void {
    const remote = this.#remote.get(consumerId);
    if (!remote) return;
    remote.consumer.close();
    this.#remote.delete(consumerId);
    this.#streamsChanged();
  }

  setMicrophoneMuted(muted: boolean): Promise<void> {
    return this.#pause('microphone', muted);
  }

  /** The person's own choice; a pause for a weak uplink ends with it (turned back on, the guard starts anew). */
  setCameraOff(off: boolean): Promise<void> {
    this.#cameraOff = off;
    this.#resetUplink();
    return this.#applyCamera();
  }

  /** Another camera or microphone during the call: the producer keeps its id, the others see no change. */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const producer = this.#producers.get(track.kind === 'audio' ? 'microphone' : 'camera');
    await producer?.replaceTrack({ track });
  }

  /** A second video producer, tagged as the screen. */
  async startScreenShare(track: MediaStreamTrack): Promise<void> {
    await this.stopScreenShare();
    await this.#produce('screen', track);
    track.addEventListener('ended', () => void this.stopScreenShare());
  }

  async stopScreenShare(): Promise<void> {
    const producer = this.#producers.get('screen');
    if (!producer) return;
    this.#producers.delete('screen');
    producer.close();
    await this.#signal
      .request('media:close-producer', { appointmentId: this.#appointmentId, producerId: producer.id })
      .catch(() => undefined);
  }

  ownsProducer(producerId: string): boolean {
    return [...this.#producers.values()].some((p) => p.id === producerId);
  }

  participantOfConsumer(consumerId: string): string | undefined {
    return this.#remote.get(consumerId)?.participantId;
  }

  /** Loss and round trip as the browser measures them (`getStats`), since the last sample. */
  async sample(): Promise<MediaSample> {
    const send: LinkSample = { lossRatio: null, rttMs: null };
    if (this.#send && !this.#send.closed) {
      const report = await this.#send.getStats();
      const losses: number[] = [];
      report.forEach((s) => {
        if (s.type === 'remote-inbound-rtp' && typeof s.fractionLost === 'number')
          losses.push(s.fractionLost);
        if (s.type === 'remote-inbound-rtp' && typeof s.roundTripTime === 'number') {
          send.rttMs = Math.max(send.rttMs ?? 0, s.roundTripTime * 1000);
        }
      });
      if (losses.length > 0) send.lossRatio = Math.max(...losses);
    }
    const receive: Record<string, LinkSample> = {};
    const rtt = await this.#recvRoundTrip();
    for (const remote of this.#remote.values()) {
      if (remote.consumer.closed) continue;
      let lost = remote.lastLost;
      let received = remote.lastReceived;
      (await remote.consumer.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp') {
          lost = s.packetsLost ?? lost;
          received = s.packetsReceived ?? received;
        }
      });
      const newLost = Math.max(0, lost - remote.lastLost);
      const newReceived = Math.max(0, received - remote.lastReceived);
      remote.lastLost = lost;
      remote.lastReceived = received;
      const ratio = newLost + newReceived > 0 ? newLost / (newLost + newReceived) : null;
      const previous = receive[remote.participantId];
      receive[remote.participantId] = {
        lossRatio: ratio === null ? (previous?.lossRatio ?? null) : Math.max(ratio, previous?.lossRatio ?? 0),
        rttMs: rtt,
      };
    }
    return { send, receive };
  }

  /** What each remote video decoded so far: for the call screen's diagnostics and the browser tests. */
  async receivedVideo(): Promise<ReceivedVideo[]> {
    const videos: ReceivedVideo[] = [];
    for (const { consumer, participantId, source } of this.#remote.values()) {
      if (consumer.kind !== 'video' || consumer.closed) continue;
      (await consumer.getStats()).forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        videos.push({
          participantId,
          consumerId: consumer.id,
          source,
          framesDecoded: s.framesDecoded ?? 0,
          frameWidth: s.frameWidth ?? 0,
          frameHeight: s.frameHeight ?? 0,
          packetsReceived: s.packetsReceived ?? 0,
          framesReceived: s.framesReceived ?? 0,
          keyFramesDecoded: s.keyFramesDecoded ?? 0,
          pliCount: s.pliCount ?? 0,
          nackCount: s.nackCount ?? 0,
        });
      });
    }
    return videos;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#recovery.close();
    this.#stopNetworkWatch();
    clearInterval(this.#trafficTimer);
    clearInterval(this.#uplinkTimer);
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    for (const remote of this.#remote.values()) remote.consumer.close();
    this.#remote.clear();
    this.#send?.close();
    this.#recv?.close();
    this.#streamsChanged();
    this.#events.removeAllListeners();
  }

  #transport(answer: SignalingAck<'media:create-transport'>, direction: 'send' | 'recv'): Transport {
    const device = this.#device!;
    const appointmentId = this.#appointmentId;
    const options = {
      id: answer.transportId,
      iceParameters: answer.iceParameters,
      iceCandidates: answer.iceCandidates,
      dtlsParameters: answer.dtlsParameters,
      iceServers: answer.iceServers,
      ...(this.#options.iceTransportPolicy ? { iceTransportPolicy: this.#options.iceTransportPolicy } : {}),
    } as unknown as TransportOptions;
    const transport =
      direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signal
        .request('media:connect-transport', {
          appointmentId,
          transportId: transport.id,
          dtlsParameters: dtlsParameters as never,
        })
        .then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.#signal
        .request('media:produce', {
          appointmentId,
          transportId: transport.id,
          kind,
          rtpParameters: rtpParameters as never,
          appData: appData as Record<string, string>,
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    this.#recovery.watch(transport.id);
    transport.on('connectionstatechange', (state: ConnectionState) => {
      this.#recovery.transportState(transport.id, state);
    });
    return transport;
  }

  /** New ICE credentials from the SFU for both transports, the same transports: producers and consumers stay. */
  async #restartIce(): Promise<void> {
    const transports = [this.#send, this.#recv].filter((t): t is Transport => !!t && !t.closed);
    if (this.#closed || transports.length === 0) throw new Error('no transport to restart');
    // The path that failed may have carried signaling too (a network change): make sure it answers first.
    if ((await this.#signal.checkLink?.(this.#linkCheckMs())) === false) {
      // It did not, and is being made anew. A new session makes the call rejoin with new media (this one is
      // closed then, `CallClient`); a recovered one keeps the room, and the restart goes on over it.
      await this.#signal.connect();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.#closed) return;
    }
    // A restart sent beside the rejoin's `room:join` is refused (the socket is in no room yet) and falls back to
    // closing the very transports the rejoin is resuming: seen as a call whose media never came back.
    await this.#options.untilRejoined?.();
    if (this.#closed) return;
    await Promise.all(
      transports.map(async (transport) => {
        const { iceParameters } = await this.#signal.request('media:restart-ice', {
          appointmentId: this.#appointmentId,
          transportId: transport.id,
        });
        await transport.restartIce({ iceParameters: iceParameters as never });
      }),
    );
  }

  /**
   * The fallback: both transports closed (here and on the SFU, which tells the others our producers closed),
   * new ones made from the router's capabilities (on whichever SFU node holds the room now), what we sent
   * produced again from the same local tracks (muted stays muted), and every producer of the others consumed.
   */
  async #recreate(): Promise<void> {
    if (this.#closed) return;
    const sent = [...this.#producers].map(([source, producer]) => ({
      source,
      track: producer.track,
      paused: producer.paused,
    }));
    const old = [this.#send, this.#recv].filter((t): t is Transport => !!t && !t.closed);
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    for (const remote of this.#remote.values()) remote.consumer.close();
    this.#remote.clear();
    this.#send = undefined;
    this.#recv = undefined;
    this.#transports = undefined;
    this.#recovery.forgetTransports();
    this.#stalls.forget();
    this.#cameraPausedFor = undefined;
    this.#resetUplink();
    for (const transport of old) transport.close();
    this.#streamsChanged();
    // Gone already when the SFU node died; otherwise the others learn our old producers closed.
    await Promise.all(
      old.map((transport) =>
        this.#signal
          .request('media:close-transport', { appointmentId: this.#appointmentId, transportId: transport.id })
          .catch(() => undefined),
      ),
    );
    await this.#transportsReady().catch((error: unknown) => {
      this.#transports = undefined; // the next attempt asks again
      throw error;
    });
    for (const { source, track, paused } of sent) {
      if (!track || track.readyState === 'ended' || this.#closed) continue;
      await this.#produce(source, track, source === 'camera' ? cameraSimulcastEncodings : undefined);
      if (source === 'camera') await this.#applyCamera();
      else if (paused) await this.#pause(source, true);
    }
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    // A producer announced before the loss may have died with it: the others are consumed all the same.
    await Promise.allSettled(waiting.map((producer) => this.#consume(producer)));
  }

  /**
   * Reads what each transport received since the last time, for `MediaStallDetector`: a path that carries
   * nothing is found in about two seconds, where ICE takes five or more and a changed address fires no event.
   * When the media first goes quiet the signaling link is checked at once (it may have died with the path).
   */
  async #watchTraffic(): Promise<void> {
    if (this.#readingTraffic || this.#closed || this.#recovery.state !== MediaConnectionState.connected)
      return;
    this.#readingTraffic = true;
    try {
      const sending = [...this.#producers.values()].some((producer) => !producer.closed && !producer.paused);
      const receiving = [...this.#remote.values()].some(({ consumer }) => !consumer.closed);
      const traffic: TransportTraffic[] = [];
      for (const [transport, expecting] of [
        [this.#send, sending],
        [this.#recv, receiving],
      ] as const) {
        if (!transport || transport.closed) continue;
        const report = await transport.getStats();
        traffic.push({ transportId: transport.id, bytesReceived: bytesReceivedOf(report), expecting });
        this.#pathRttMs = selectedPairRttMs(report) ?? this.#pathRttMs;
        // The same report gives `UplinkGuard` the send estimate: one getStats per transport, not two.
        if (transport === this.#send)
          this.#sendEstimate = { transportId: transport.id, kbps: availableOutgoingKbps(report) };
      }
      if (this.#closed) return;
      const verdict = this.#stalls.observe(traffic, performance.now());
      if (verdict === 'suspect') void this.#signal.checkLink?.(this.#linkCheckMs());
      else if (verdict === 'stalled') this.#recovery.mediaStalled();
    } catch {
      // A transport closed while it was read: the next reading sees the new ones.
    } finally {
      this.#readingTraffic = false;
    }
  }

  /**
   * Reads the send transport's estimate for `UplinkGuard` once a second, and pauses or resumes the camera as it
   * says: the audio-only fallback for our own weak uplink (the SFU's covers the viewers' downlinks). Not while the
   * person has the camera off, nor during a recovery (the estimate of a path being replaced means nothing).
   */
  async #guardUplink(): Promise<void> {
    const camera = this.#producers.get('camera');
    const send = this.#send;
    if (
      this.#readingUplink ||
      this.#closed ||
      this.#cameraOff ||
      !camera ||
      camera.closed ||
      !send ||
      send.closed ||
      this.#recovery.state !== MediaConnectionState.connected
    )
      return;
    // Read by `#watchTraffic` from the send transport's own stats; another transport's estimate means nothing here.
    const estimate = this.#sendEstimate;
    if (estimate?.transportId !== send.id) return;
    this.#readingUplink = true;
    try {
      if (!this.#uplink.observe(estimate.kbps, performance.now())) return;
      this.#events.emit('uplink-video', this.#uplink.paused);
      await this.#applyCamera();
    } catch {
      // Signaling was away: the next reading decides again.
    } finally {
      this.#readingUplink = false;
    }
  }

  /** Video on again, the guard from nothing; the screens are told if our video was paused for the uplink. */
  #resetUplink(): void {
    const wasPaused = this.#uplink.paused;
    this.#uplink.reset();
    if (wasPaused) this.#events.emit('uplink-video', false);
  }

  /**
   * The camera producer is paused while the person has it off (`user`) or our uplink cannot carry it
   * (`bandwidth`), and the SFU and the others are told which: a screen says "camera off" for one and "weak
   * connection" for the other. The person's own choice wins.
   */
  async #applyCamera(): Promise<void> {
    const producer = this.#producers.get('camera');
    if (!producer || producer.closed) return;
    const reason: ProducerPauseReason | undefined = this.#cameraOff
      ? 'user'
      : this.#uplink.paused
        ? 'bandwidth'
        : undefined;
    if (reason === this.#cameraPausedFor) return;
    this.#cameraPausedFor = reason;
    const ids = { appointmentId: this.#appointmentId, producerId: producer.id };
    if (reason) {
      producer.pause();
      await this.#signal.request('media:pause-producer', { ...ids, reason });
    } else {
      producer.resume();
      await this.#signal.request('media:resume-producer', ids);
    }
  }

  async #produce(source: MediaSource, track: MediaStreamTrack, encodings?: RtpEncodingParameters[]) {
    const codecOptions = codecOptionsFor(track);
    const producer = await this.#send!.produce({
      track,
      ...(encodings ? { encodings } : {}),
      ...(codecOptions ? { codecOptions } : {}),
      // The call owns the local tracks: a producer closed on a reconnect must not stop the camera.
      stopTracks: false,
      appData: { source },
    });
    this.#producers.set(source, producer);
  }

  async #pause(source: MediaSource, paused: boolean): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer || producer.paused === paused) return;
    const appointmentId = this.#appointmentId;
    if (paused) {
      producer.pause();
      await this.#signal.request('media:pause-producer', { appointmentId, producerId: producer.id });
    } else {
      producer.resume();
      await this.#signal.request('media:resume-producer', { appointmentId, producerId: producer.id });
    }
  }

  async #consume(producer: RoomProducer): Promise<void> {
    if (
      this.#closed ||
      [...this.#remote.values()].some((r) => r.consumer.producerId === producer.producerId)
    ) {
      return;
    }
    const appointmentId = this.#appointmentId;
    const answer = await this.#signal.request('media:consume', {
      appointmentId,
      producerId: producer.producerId,
      rtpCapabilities: this.#device!.rtpCapabilities as never,
    });
    const consumer = await this.#recv!.consume({
      id: answer.consumerId,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as never,
    });
    this.#remote.set(consumer.id, {
      consumer,
      participantId: producer.participantId,
      source: producer.source,
      lastLost: 0,
      lastReceived: 0,
    });
    // Consumers start paused on the SFU; resumed once the track exists here, so no key frame is lost.
    await this.#signal.request('media:resume-consumer', { appointmentId, consumerId: consumer.id });
    this.#streamsChanged();
  }

  async #recvRoundTrip(): Promise<number | null> {
    if (!this.#recv || this.#recv.closed) return null;
    let rtt: number | null = null;
    (await this.#recv.getStats()).forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') {
        rtt = s.currentRoundTripTime * 1000;
      }
    });
    return rtt;
  }

  #streamsChanged(): void {
    // One stream per participant and place: a <video> plays one video track, so a screen needs its own stream.
    const tracks = {
      streams: new Map<string, MediaStreamTrack[]>(),
      screens: new Map<string, MediaStreamTrack[]>(),
    };
    for (const { consumer, participantId, source } of this.#remote.values()) {
      const place = source === 'screen' ? tracks.screens : tracks.streams;
      place.set(participantId, [...(place.get(participantId) ?? []), consumer.track]);
    }
    const asStreams = (byParticipant: Map<string, MediaStreamTrack[]>) =>
      Object.fromEntries(
        [...byParticipant].map(([participantId, list]) => [participantId, new MediaStream(list)]),
      );
    this.#events.emit('remote-streams', {
      streams: asStreams(tracks.streams),
      screens: asStreams(tracks.screens),
    });
  }
}

/** What a peer connection's transport received so far (all of it: media, RTCP, STUN). */
function bytesReceivedOf(report: RTCStatsReport): number {
  let bytes = 0;
  report.forEach((s) => {
    if (s.type === 'transport' && typeof s.bytesReceived === 'number') bytes += s.bytesReceived;
  });
  return bytes;
}

/**
 * The browser's estimate of what the transport can send now, in kb/s (`availableOutgoingBitrate` of its selected
 * candidate pair: the congestion controller's target, headers included); null before it has one.
 */
function availableOutgoingKbps(report: RTCStatsReport): number | null {
  let pairId: string | undefined;
  report.forEach((s) => {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pairId = s.selectedCandidatePairId;
  });
  const bitrate = pairId ? report.get(pairId)?.availableOutgoingBitrate : undefined;
  return typeof bitrate === 'number' ? bitrate / 1_000 : null;
}

/** The round trip of the candidate pair the transport uses now, in milliseconds, when the browser measured one. */
function selectedPairRttMs(report: RTCStatsReport): number | undefined {
  let pairId: string | undefined;
  report.forEach((s) => {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pairId = s.selectedCandidatePairId;
  });
  const rtt = pairId ? report.get(pairId)?.currentRoundTripTime : undefined;
  return typeof rtt === 'number' ? rtt * 1_000 : undefined;
}
