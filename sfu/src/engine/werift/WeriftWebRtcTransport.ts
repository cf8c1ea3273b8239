import { randomUUID } from 'node:crypto';
import {
  AppError,
  type DtlsParameters,
  type IceCandidate,
  type IceParameters,
  rtpParametersSchema,
} from '@telemed/shared';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  ReceiverEstimatedMaxBitrate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceParameters,
  RTCIceTransport,
  type RtcpPacket,
  RtcpRrPacket,
} from 'werift';
import type { Consumer } from '../Consumer.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Producer } from '../Producer.js';
import type {
  ConsumeOptions,
  DtlsState,
  IceState,
  ProduceOptions,
  TransportStats,
  WebRtcTransport,
  WebRtcTransportEvents,
} from '../WebRtcTransport.js';
import { BandwidthProber } from './BandwidthProber.js';
import { IceLiteRenomination } from './IceLiteRenomination.js';
import { getConsumerRtpSetup, getProducerCodecMapping } from './ortc.js';
import type { RtpHeaderView, RtpPacketView } from './rtpTypes.js';
import { createRemb, findExtension, parseRtp, randomSsrc } from './rtpUtils.js';
import { SrtpDataPath } from './SrtpDataPath.js';
import { RTP_EXT } from './supportedRtpCapabilities.js';
import { TwccRecorder } from './TwccRecorder.js';
import { defaultVideoBandwidthGateOptions, type VideoBandwidthGateOptions } from './VideoBandwidthGate.js';
import { type ConsumerTransportLink, WeriftConsumer } from './WeriftConsumer.js';
import { type ProducerTransportLink, WeriftProducer } from './WeriftProducer.js';
import type { WeriftRouterInternal } from './WeriftRouterInternal.js';

/** Test hook: return true to drop the packet, as a lossy network would. */
export type PacketFilter = (direction: 'in' | 'out', header: RtpHeaderView) => boolean;

/** mediasoup-client never sends the browser's ICE credentials; an ICE-lite agent checks with its own. */
const PLACEHOLDER_REMOTE_ICE = new RTCIceParameters({
  usernameFragment: 'remote',
  password: 'remote-placeholder-password',
});
const SILENCE_DISCONNECT_MS = 30_000;
const DEFAULT_AVAILABLE_OUTGOING_BITRATE = 1_500_000;

interface SsrcEntry {
  producer: WeriftProducer;
  index: number;
  rtx: boolean;
}

function consumerMsid(producer: WeriftProducer): string {
  const msid = (producer.rtpParameters as { msid?: unknown }).msid;
  const streamId = typeof msid === 'string' ? msid.trim().split(/\s+/)[0] : undefined;
  return `${streamId || producer.rtpParameters.rtcp?.cname || producer.id} ${producer.id}`;
}

/** Wraps an already serialized RTCP packet so werift's `sendRtcp` can send it with the others. */
class RawRtcp {
  constructor(private readonly buf: Buffer) {}
  serialize(): Buffer {
    return this.buf;
  }
}

export class WeriftWebRtcTransport
  extends EnhancedEventEmitter<WebRtcTransportEvents>
  implements WebRtcTransport, ProducerTransportLink, ConsumerTransportLink
{
  readonly id = randomUUID();
  readonly appData: Record<string, unknown>;
  readonly rtcpSsrc = randomSsrc();
  readonly producers = new Map<string, WeriftProducer>();
  readonly consumers = new Map<string, WeriftConsumer>();
  readonly #router: WeriftRouterInternal;
  readonly #gatherer: RTCIceGatherer;
  #ice: RTCIceTransport;
  readonly #dtls: RTCDtlsTransport;
  readonly #srtp: SrtpDataPath;
  readonly #renomination: IceLiteRenomination;
  readonly #candidateIp: string;
  #iceState: IceState = 'new';
  #dtlsState: DtlsState = 'new';
  #remoteDtls: DtlsParameters | undefined;
  #closed = false;
  readonly #ssrcTable = new Map<number, SsrcEntry>();
  readonly #midTable = new Map<string, WeriftProducer>();
  readonly #consumerBySsrc = new Map<number, WeriftConsumer>();
  #ext: { mid?: number; rid?: number; rrid?: number; twcc?: number; audioLevel?: number } = {};
  #nextConsumerMid = 0;
  readonly #twcc = new TwccRecorder();
  #availableOutgoingBitrate: number;
  #rembReceived = false;
  /** The receiver's last REMB, before any test cap. */
  #reportedEstimate = DEFAULT_AVAILABLE_OUTGOING_BITRATE;
  #estimateCap: number | undefined;
  #maxIncomingBitrate: number | undefined;
  #packetFilter: PacketFilter | undefined;
  /**
   * Created with the first video consumer, whose negotiated header extensions it uses; null when that
   * receiver did not negotiate abs-send-time (its estimator could not use probes).
   */
  #prober: BandwidthProber | null | undefined;
  #lastDataMs = performance.now();
  #lastReportMs = 0;
  #lastTwccMs = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #rateBytesIn = 0;
  #rateBytesOut = 0;
  #recvBitrate = 0;
  #sendBitrate = 0;
  droppedByFilter = 0;
  readonly #videoBandwidthGate: VideoBandwidthGateOptions | undefined;

  constructor(params: {
    router: WeriftRouterInternal;
    gatherer: RTCIceGatherer;
    ice: RTCIceTransport;
    dtls: RTCDtlsTransport;
    candidateIp: string;
    initialAvailableOutgoingBitrate?: number;
    minVideoBitrate?: number;
    appData?: Record<string, unknown>;
  }) {
    super();
    this.#router = params.router;
    this.#gatherer = params.gatherer;
    this.#ice = params.ice;
    this.#dtls = params.dtls;
    this.#candidateIp = params.candidateIp;
    this.#availableOutgoingBitrate =
      params.initialAvailableOutgoingBitrate ?? DEFAULT_AVAILABLE_OUTGOING_BITRATE;
    this.#reportedEstimate = this.#availableOutgoingBitrate;
    this.appData = params.appData ?? {};
    if (params.minVideoBitrate !== undefined) {
      this.#videoBandwidthGate = {
        ...defaultVideoBandwidthGateOptions,
        minBitrateBps: params.minVideoBitrate,
      };
    }
    this.#dtls.onStateChange.subscribe((state) => this.#onDtlsState(state));
    this.#srtp = new SrtpDataPath(this.#dtls);
    this.#srtp.onRtp((header, payload) => {
      const packet = parseRtp(header, payload);
      if (packet) this.#onRtp(packet);
    });
    this.#dtls.onRtcp.subscribe((packet) => this.#onRtcp(packet));
    this.#renomination = new IceLiteRenomination(this.#ice.connection);
    this.#ice.connection.onData.subscribe(() => {
      this.#lastDataMs = performance.now();
    });
    this.#startIce();
  }

  /** Gathers one host candidate on the listen address (ICE-lite: the browser does the checks). */
  static async create(params: {
    router: WeriftRouterInternal;
    listenIp: string;
    announcedIp?: string;
    portRange: [number, number];
    initialAvailableOutgoingBitrate?: number;
    minVideoBitrate?: number;
    appData?: Record<string, unknown>;
  }): Promise<WeriftWebRtcTransport> {
    const gatherer = new RTCIceGatherer({
      iceLite: true,
      useIpv4: false,
      useIpv6: false,
      useTcp: false,
      additionalHostAddresses: [params.listenIp],
      interfaceAddresses: { udp4: params.listenIp },
      portRange: params.portRange,
    });
    await gatherer.gather();
    if (gatherer.localCandidates.length === 0) {
      await gatherer.connection.close().catch(() => undefined);
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `No UDP port free on ${params.listenIp} in ${params.portRange[0]}-${params.portRange[1]}`,
      );
    }
    const certificate = await RTCDtlsTransport.SetupCertificate();
    const ice = new RTCIceTransport(gatherer);
    const dtls = new RTCDtlsTransport({}, ice, certificate, [
      ProtectionProfileAeadAes128Gcm,
      ProtectionProfileAes128CmHmacSha1_80,
    ]);
    return new WeriftWebRtcTransport({
      router: params.router,
      gatherer,
      ice,
      dtls,
      candidateIp: params.announcedIp ?? params.listenIp,
      initialAvailableOutgoingBitrate: params.initialAvailableOutgoingBitrate,
      minVideoBitrate: params.minVideoBitrate,
      appData: params.appData,
    });
  }

  #startIce(): void {
    this.#ice.setRemoteParams(PLACEHOLDER_REMOTE_ICE);
    const ice = this.#ice;
    ice.onStateChange.subscribe((state) => {
      if (ice !== this.#ice || this.#closed) return;
      if (state === 'connected' || state === 'completed') this.#setIceState(state);
      else if (state === 'disconnected') this.#setIceState('disconnected');
    });
    ice.start().then(
      () => {
        if (this.#closed) return;
        this.#setIceState('connected');
        this.#maybeStartDtls();
      },
      () => undefined,
    );
  }

  get closed(): boolean {
    return this.#closed;
  }
  get iceState(): IceState {
    return this.#iceState;
  }
  get dtlsState(): DtlsState {
    return this.#dtlsState;
  }
  get sending(): boolean {
    return this.#dtlsState === 'connected' && !this.#closed;
  }

  get iceParameters(): IceParameters {
    const local = this.#gatherer.localParameters;
    return { usernameFragment: local.usernameFragment, password: local.password, iceLite: true };
  }

  get iceCandidates(): IceCandidate[] {
    return this.#gatherer.localCandidates
      .filter((c) => c.protocol === 'udp')
      .map((c) => ({
        foundation: c.foundation,
        priority: c.priority,
        ip: this.#candidateIp,
        address: this.#candidateIp,
        protocol: 'udp' as const,
        port: c.port,
        type: 'host' as const,
      }));
  }

  get dtlsParameters(): DtlsParameters {
    const fingerprints = this.#dtls.localParameters.fingerprints.map((f) => ({
      algorithm: f.algorithm,
      value: f.value,
    }));
    return { role: 'auto', fingerprints };
  }

  /** Bandwidth the browser says it can receive (REMB), or the initial guess until it does. */
  get availableOutgoingBitrate(): number {
    return this.#availableOutgoingBitrate;
  }

  /**
   * Test hook: hold the receiver's estimate at or below `bps` (undefined lifts it), as a weak downlink would,
   * without shaping the network; applied at once, and to every REMB after.
   */
  capOutgoingEstimate(bps: number | undefined): void {
    this.#estimateCap = bps;
    this.#availableOutgoingBitrate = Math.min(this.#reportedEstimate, bps ?? Number.POSITIVE_INFINITY);
    const nowMs = performance.now();
    for (const consumer of this.consumers.values()) {
      consumer.updateBandwidthPause(nowMs);
      consumer.updateLayer(nowMs);
    }
  }

  /** Engine test hook: drop packets in either direction, as a lossy network would. */
  setPacketFilter(filter: PacketFilter | undefined): void {
    this.#packetFilter = filter;
  }

  async connect({ dtlsParameters }: { dtlsParameters: DtlsParameters }): Promise<void> {
    if (this.#closed) throw new AppError('CONFLICT', 'The transport is closed');
    if (this.#remoteDtls) throw new AppError('CONFLICT', 'connect() was already called on this transport');
    const remoteRole = dtlsParameters.role ?? 'auto';
    // The browser is the DTLS client unless it says otherwise (mediasoup's rule for a controlled ICE-lite side).
    this.#dtls.role = remoteRole === 'server' ? 'client' : 'server';
    this.#dtls.setRemoteParams(
      new RTCDtlsParameters(
        dtlsParameters.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm.toLowerCase(), f.value)),
        remoteRole === 'auto' ? (this.#dtls.role === 'server' ? 'client' : 'server') : remoteRole,
      ),
    );
    this.#remoteDtls = dtlsParameters;
    this.#maybeStartDtls();
  }

  #maybeStartDtls(): void {
    if (!this.#remoteDtls || this.#dtls.state !== 'new' || this.#closed) return;
    if (this.#iceState !== 'connected' && this.#iceState !== 'completed') return;
    this.#dtls.start().catch(() => {
      if (!this.#closed) this.#onDtlsState('failed');
    });
  }

  #setIceState(state: IceState): void {
    if (state === this.#iceState) return;
    this.#iceState = state;
    this.safeEmit('icestatechange', state);
  }

  #onDtlsState(state: 'new' | 'connecting' | 'connected' | 'failed' | 'closed'): void {
    if (this.#closed || state === this.#dtlsState) return;
    this.#dtlsState = state;
    this.safeEmit('dtlsstatechange', state);
    if (state === 'connected') {
      for (const producer of this.producers.values()) {
        for (let i = 0; i < producer.streams.length; i++) producer.requestKeyFrame(i);
      }
    }
    if (state === 'failed' || state === 'closed') this.#close(`dtls ${state}`);
  }

  async restartIce(): Promise<IceParameters> {
    if (this.#closed) throw new AppError('CONFLICT', 'The transport is closed');
    this.#ice.restart();
    await this.#gatherer.gather();
    this.#iceState = 'new';
    this.#startIce();
    return this.iceParameters;
  }

  async setMaxIncomingBitrate(bitrate: number): Promise<void> {
    this.#maxIncomingBitrate = bitrate > 0 ? bitrate : undefined;
  }

  async produce(options: ProduceOptions): Promise<Producer> {
    if (this.#closed) throw new AppError('CONFLICT', 'The transport is closed');
    const parsed = rtpParametersSchema.safeParse(options.rtpParameters);
    if (!parsed.success) throw AppError.fromZod(parsed.error, 'rtpParameters');
    const rtpParameters = parsed.data;
    if (options.kind !== 'audio' && options.kind !== 'video') {
      throw new AppError('VALIDATION_FAILED', 'kind must be audio or video');
    }
    const mid = rtpParameters.mid;
    if (mid !== undefined && this.#midTable.has(mid)) {
      throw new AppError('CONFLICT', `MID ${mid} is already used by a producer on this transport`);
    }
    const encodings = rtpParameters.encodings ?? [];
    if (encodings.length > 1 && encodings.some((e) => !e.rid && e.ssrc === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'Every simulcast encoding needs a rid or an ssrc');
    }
    if (mid === undefined && encodings.every((e) => e.ssrc === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'rtpParameters need a mid or encodings with ssrc');
    }
    for (const e of encodings) {
      if (e.ssrc !== undefined && this.#ssrcTable.has(e.ssrc)) {
        throw new AppError('CONFLICT', `SSRC ${e.ssrc} is already used on this transport`);
      }
    }
    const mapping = getProducerCodecMapping(options.kind, rtpParameters, this.#router.rtpCapabilities);
    const [first] = mapping;
    if (!first) throw new AppError('UNPROCESSABLE', 'No usable codec');
    const producer = new WeriftProducer({
      kind: options.kind,
      rtpParameters,
      mapping: first,
      paused: options.paused ?? false,
      appData: options.appData ?? {},
      link: this,
      onClose: (p) => this.#forgetProducer(p),
    });
    for (const ext of rtpParameters.headerExtensions ?? []) {
      if (ext.uri === RTP_EXT.mid) this.#ext.mid ??= ext.id;
      else if (ext.uri === RTP_EXT.rid) this.#ext.rid ??= ext.id;
      else if (ext.uri === RTP_EXT.rrid) this.#ext.rrid ??= ext.id;
      else if (ext.uri === RTP_EXT.transportWideCc) this.#ext.twcc ??= ext.id;
      else if (ext.uri === RTP_EXT.audioLevel) this.#ext.audioLevel ??= ext.id;
    }
    encodings.forEach((e, index) => {
      if (e.ssrc !== undefined) this.#ssrcTable.set(e.ssrc, { producer, index, rtx: false });
      if (e.rtx?.ssrc !== undefined) this.#ssrcTable.set(e.rtx.ssrc, { producer, index, rtx: true });
    });
    if (mid !== undefined) this.#midTable.set(mid, producer);
    this.producers.set(producer.id, producer);
    this.#router.registerProducer(producer);
    if (this.sending) for (let i = 0; i < producer.streams.length; i++) producer.requestKeyFrame(i);
    return producer;
  }

  #forgetProducer(producer: WeriftProducer): void {
    this.producers.delete(producer.id);
    for (const [ssrc, entry] of this.#ssrcTable)
      if (entry.producer === producer) this.#ssrcTable.delete(ssrc);
    for (const [mid, p] of this.#midTable) if (p === producer) this.#midTable.delete(mid);
    this.#router.unregisterProducer(producer);
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    if (this.#closed) throw new AppError('CONFLICT', 'The transport is closed');
    const producer = this.#router.getProducer(options.producerId);
    if (!producer) throw new AppError('NOT_FOUND', `No producer ${options.producerId} in this router`);
    const setup = getConsumerRtpSetup({
      kind: producer.kind,
      mid: String(this.#nextConsumerMid++),
      mapping: producer.mapping,
      routerCaps: this.#router.rtpCapabilities,
      consumerCaps: options.rtpCapabilities,
      cname: producer.rtpParameters.rtcp?.cname || producer.id.slice(0, 8),
      msid: consumerMsid(producer),
      randomSsrc,
    });
    const consumer = new WeriftConsumer({
      producer,
      setup,
      paused: options.paused ?? true,
      preferredLayers: options.preferredLayers,
      appData: options.appData ?? {},
      link: this,
      ...(this.#videoBandwidthGate ? { bandwidthGate: this.#videoBandwidthGate } : {}),
      onClose: (c) => {
        this.consumers.delete(c.id);
        this.#consumerBySsrc.delete(setup.ssrc);
        if (setup.rtxSsrc !== undefined) this.#consumerBySsrc.delete(setup.rtxSsrc);
      },
    });
    this.consumers.set(consumer.id, consumer);
    this.#consumerBySsrc.set(setup.ssrc, consumer);
    if (setup.rtxSsrc !== undefined) this.#consumerBySsrc.set(setup.rtxSsrc, consumer);
    return consumer;
  }

  get bandwidthEstimated(): boolean {
    return this.#rembReceived;
  }

  videoBudget(consumer: WeriftConsumer): number {
    let videoConsumers = 0;
    for (const c of this.consumers.values()) if (c.kind === 'video' && c.active) videoConsumers++;
    void consumer;
    // Audio is small (≈40 kb/s each); leave it a fixed slice and share the rest among video consumers.
    return Math.max(0, this.#availableOutgoingBitrate - 64_000) / Math.max(1, videoConsumers);
  }

  #onRtp(packet: RtpPacketView): void {
    if (this.#closed) return;
    if (this.#packetFilter?.('in', packet.header)) {
      this.droppedByFilter++;
      return;
    }
    const nowMs = performance.now();
    this.#bytesIn += packet.payload.length + 12;
    if (this.#ext.twcc !== undefined) {
      const ext = findExtension(packet, this.#ext.twcc);
      if (ext && ext.length >= 2) this.#twcc.record(ext.readUInt16BE(0), nowMs * 1000);
    }
    const entry = this.#ssrcTable.get(packet.header.ssrc) ?? this.#learnSsrc(packet);
    if (!entry) return;
    entry.producer.receiveRtp(
      entry.index,
      packet,
      entry.rtx,
      nowMs,
      entry.producer.kind === 'audio' ? this.#ext.audioLevel : undefined,
    );
  }

  /** First packets of a stream carry MID (and RID for simulcast); bind the SSRC to its producer encoding. */
  #learnSsrc(packet: RtpPacketView): SsrcEntry | undefined {
    const { ssrc, payloadType } = packet.header;
    const text = (id: number | undefined) => {
      if (id === undefined) return undefined;
      return findExtension(packet, id)?.toString('ascii');
    };
    const mid = text(this.#ext.mid);
    const producer = mid !== undefined ? this.#midTable.get(mid) : undefined;
    if (!producer) return undefined;
    let entry: SsrcEntry | undefined;
    if (producer.type === 'simulcast') {
      const rid = text(this.#ext.rid);
      const rrid = text(this.#ext.rrid);
      if (rid !== undefined) {
        const index = producer.encodingIndexOfRid(rid);
        if (index >= 0) {
          producer.bindStream(index, ssrc);
          entry = { producer, index, rtx: false };
        }
      } else if (rrid !== undefined) {
        const index = producer.encodingIndexOfRid(rrid);
        const stream = index >= 0 ? producer.streams[index] : undefined;
        if (stream) {
          stream.rtxSsrc = ssrc;
          entry = { producer, index, rtx: true };
        }
      }
    } else if (payloadType === producer.mapping.rtxPayloadType) {
      const stream = producer.streams[0];
      if (stream) {
        stream.rtxSsrc = ssrc;
        entry = { producer, index: 0, rtx: true };
      }
    } else if (payloadType === producer.mapping.codec.payloadType) {
      producer.bindStream(0, ssrc);
      entry = { producer, index: 0, rtx: false };
    }
    if (entry) this.#ssrcTable.set(ssrc, entry);
    return entry;
  }

  #onRtcp(packet: RtcpPacket): void {
    if (this.#closed) return;
    const nowMs = performance.now();
    switch (packet.type) {
      case 200: {
        this.#ssrcTable
          .get(packet.ssrc)
          ?.producer.receiveSenderReport(
            packet.ssrc,
            packet.senderInfo.ntpTimestamp,
            packet.senderInfo.rtpTimestamp,
            nowMs,
          );
        for (const report of packet.reports)
          this.#consumerBySsrc.get(report.ssrc)?.receiveReceiverReport(report.fractionLost);
        break;
      }
      case 201: {
        for (const report of packet.reports)
          this.#consumerBySsrc.get(report.ssrc)?.receiveReceiverReport(report.fractionLost);
        break;
      }
      case 206: {
        const fb = packet.feedback;
        if (fb instanceof ReceiverEstimatedMaxBitrate) {
          this.#reportedEstimate = Number(fb.bitrate);
          this.#availableOutgoingBitrate = Math.min(
            this.#reportedEstimate,
            this.#estimateCap ?? Number.POSITIVE_INFINITY,
          );
          this.#rembReceived = true;
          for (const consumer of this.consumers.values()) {
            consumer.updateBandwidthPause(nowMs);
            consumer.updateLayer(nowMs);
          }
        } else if ('fir' in fb) {
          for (const entry of fb.fir)
            this.#consumerBySsrc.get(entry.ssrc)?.receiveKeyFrameRequest('fir', nowMs);
        } else {
          this.#consumerBySsrc.get(fb.mediaSsrc)?.receiveKeyFrameRequest('pli', nowMs);
        }
        break;
      }
      case 205: {
        const fb = packet.feedback;
        if ('lost' in fb) this.#consumerBySsrc.get(fb.mediaSourceSsrc)?.receiveNack(fb.lost, nowMs);
        break;
      }
      default:
        break;
    }
  }

  sendRtp(header: Buffer, payload: Buffer): void {
    if (!this.sending) return;
    if (this.#packetFilter) {
      const view = parseRtp(header, payload);
      if (view && this.#packetFilter('out', view.header)) {
        this.droppedByFilter++;
        return;
      }
    }
    this.#bytesOut += this.#srtp.sendRtp(header, payload);
  }

  sendRtcp(packets: RtcpPacket[]): void {
    if (!this.sending || packets.length === 0) return;
    this.#dtls.sendRtcp(packets).catch(() => undefined);
  }

  /** Periodic RTCP and housekeeping, driven by the worker's single timer. */
  tick(nowMs: number): void {
    if (this.#closed || !this.sending) return;
    const report = nowMs - this.#lastReportMs >= 1000;
    const out: RtcpPacket[] = [];
    for (const producer of this.producers.values()) out.push(...producer.tick(nowMs, report));
    if (nowMs - this.#lastTwccMs >= 100) {
      this.#lastTwccMs = nowMs;
      const mediaSsrc = this.#ssrcTable.keys().next().value ?? 0;
      const feedback = this.#twcc.buildFeedback(this.rtcpSsrc, mediaSsrc);
      // RawRtcp has the one method werift's sendRtcp calls.
      if (feedback) out.push(new RawRtcp(feedback) as unknown as RtcpPacket);
    }
    if (report) {
      const elapsed = (nowMs - this.#lastReportMs) / 1000;
      this.#lastReportMs = nowMs;
      this.#recvBitrate = Math.round(((this.#bytesIn - this.#rateBytesIn) * 8) / elapsed);
      this.#sendBitrate = Math.round(((this.#bytesOut - this.#rateBytesOut) * 8) / elapsed);
      this.#rateBytesIn = this.#bytesIn;
      this.#rateBytesOut = this.#bytesOut;
      const blocks = [];
      for (const producer of this.producers.values()) {
        for (const stream of producer.streams) {
          const block = stream?.receiverReport(nowMs);
          if (block) blocks.push(block);
        }
      }
      for (let i = 0; i < blocks.length; i += 31) {
        out.push(new RtcpRrPacket({ ssrc: this.rtcpSsrc, reports: blocks.slice(i, i + 31) }));
      }
      const ssrcs = [...this.producers.values()].flatMap((p) =>
        p.streams.flatMap((s) => (s ? [s.ssrc] : [])),
      );
      const remb = this.#rembValue();
      if (remb !== undefined && ssrcs.length > 0) {
        out.push(createRemb(this.rtcpSsrc, remb, ssrcs));
      }
      for (const consumer of this.consumers.values()) {
        const sr = consumer.senderReport(nowMs);
        if (sr) out.push(sr);
        // The resume hold counts from REMBs, which a receiver may send rarely while its estimate holds.
        consumer.updateBandwidthPause(nowMs);
        consumer.updateLayer(nowMs);
      }
      if (nowMs - this.#lastDataMs > SILENCE_DISCONNECT_MS) this.#setIceState('disconnected');
      else if (this.#iceState === 'disconnected') this.#setIceState('connected');
    }
    this.#probe(nowMs);
    // Keep each compound packet under a typical MTU.
    let batch: RtcpPacket[] = [];
    let size = 0;
    for (const packet of out) {
      const length = packet.serialize().length;
      if (size + length > 1100 && batch.length > 0) {
        this.sendRtcp(batch);
        batch = [];
        size = 0;
      }
      batch.push(packet);
      size += length;
    }
    this.sendRtcp(batch);
  }

  #probe(nowMs: number): void {
    let demandBps = 0;
    let lossFraction = 0;
    let video: WeriftConsumer | undefined;
    let videoFlowing = false;
    for (const consumer of this.consumers.values()) {
      if (consumer.kind !== 'video' || !consumer.active) continue;
      video ??= consumer;
      videoFlowing ||= consumer.packetCount > 0;
      demandBps += consumer.probeDemand;
      // A consumer paused for bandwidth gets no media, so its last loss report is stale.
      if (!consumer.bandwidthPaused) lossFraction = Math.max(lossFraction, consumer.fractionLost);
    }
    if (!video) return;
    if (this.#prober === undefined)
      this.#prober = BandwidthProber.create(this, video.headerExtensionIds) ?? null;
    this.#prober?.tick(nowMs, {
      videoFlowing,
      demandBps,
      estimateBps: this.#rembReceived ? this.#availableOutgoingBitrate : undefined,
      lossFraction,
    });
  }

  /**
   * REMB towards producers: a cap from setMaxIncomingBitrate when transport-cc drives the browser's estimate,
   * otherwise a loss-free ramp of 1.5× what arrives so a REMB-only browser still climbs.
   */
  #rembValue(): number | undefined {
    if (this.#ext.twcc !== undefined) return this.#maxIncomingBitrate;
    const estimate = Math.max(300_000, this.#recvBitrate * 1.5);
    return this.#maxIncomingBitrate ? Math.min(estimate, this.#maxIncomingBitrate) : estimate;
  }

  async getStats(): Promise<TransportStats[]> {
    return [
      {
        type: 'webrtc-transport',
        transportId: this.id,
        timestamp: Date.now(),
        iceState: this.#iceState,
        dtlsState: this.#dtlsState,
        bytesReceived: this.#bytesIn,
        bytesSent: this.#bytesOut,
        recvBitrate: this.#recvBitrate,
        sendBitrate: this.#sendBitrate,
        ...(this.#renomination.selectedTuple ? { iceSelectedTuple: this.#renomination.selectedTuple } : {}),
        ...(this.#rembReceived ? { availableOutgoingBitrate: this.#availableOutgoingBitrate } : {}),
      },
    ];
  }

  get recvBitrate(): number {
    return this.#recvBitrate;
  }
  get sendBitrate(): number {
    return this.#sendBitrate;
  }

  close(): void {
    this.#close('closed');
  }

  /** The router closed. */
  routerClosed(): void {
    if (this.#closed) return;
    this.#close('router closed');
    this.safeEmit('routerclose');
  }

  #close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#prober?.close();
    for (const producer of [...this.producers.values()]) producer.transportClosed();
    for (const consumer of [...this.consumers.values()]) consumer.transportClosed();
    this.#iceState = 'closed';
    if (this.#dtlsState !== 'failed') this.#dtlsState = 'closed';
    this.#dtls.dtls?.close();
    void this.#dtls.stop().catch(() => undefined);
    this.#router.unregisterTransport(this, reason);
  }
}
