import { randomUUID } from 'node:crypto';
import type { MediaKind, RtpParameters } from '@telemed/shared';
import { type RtcpPacket, RtcpSenderInfo, RtcpSrPacket } from 'werift';
import type {
  Consumer,
  ConsumerEvents,
  ConsumerLayers,
  ConsumerObserverEvents,
  ConsumerScore,
  ConsumerStat,
} from '../Consumer.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { ConsumerRtpSetup } from './ortc.js';
import type { RtpPacketView } from './rtpTypes.js';
import { absSendTime24, findExtension, ntpFromMs, parseVp8, randomUint16, seqDiff } from './rtpUtils.js';
import { RTP_EXT } from './supportedRtpCapabilities.js';
import { VideoBandwidthGate, type VideoBandwidthGateOptions } from './VideoBandwidthGate.js';
import type { ProducerSink, WeriftProducer } from './WeriftProducer.js';

const SENT_HISTORY = 1024;
/** A layer's bitrate may exceed the budget by this factor before the consumer steps down. */
const DOWNGRADE_TOLERANCE = 1.3;

/** What a consumer needs from its transport. */
export interface ConsumerTransportLink {
  readonly rtcpSsrc: number;
  readonly sending: boolean;
  /** Sends one packet: header bytes (a scratch buffer, copied before return) and payload. */
  sendRtp(header: Buffer, payload: Buffer): void;
  sendRtcp(packets: RtcpPacket[]): void;
  /** Bits per second this consumer may use for video, from the receiver's bandwidth estimate. */
  videoBudget(consumer: WeriftConsumer): number;
  /** The receiver has sent an estimate: until then the budget is a guess, too rough to pause video on. */
  readonly bandwidthEstimated: boolean;
}

export class WeriftConsumer extends EnhancedEventEmitter<ConsumerEvents> implements Consumer, ProducerSink {
  readonly id = randomUUID();
  readonly producerId: string;
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast';
  readonly appData: Record<string, unknown>;
  readonly observer = new EnhancedEventEmitter<ConsumerObserverEvents>();
  readonly ssrc: number;
  readonly #setup: ConsumerRtpSetup;
  readonly #producer: WeriftProducer;
  readonly #link: ConsumerTransportLink;
  readonly #onClose: (consumer: WeriftConsumer) => void;
  readonly #producerAudioLevelId: number | undefined;
  readonly #midBuffer: Buffer;
  /** Reused for every outgoing header: fixed part, and at most MID, abs-send-time and audio level. */
  readonly #headerScratch = Buffer.alloc(12 + 4 + 20 + 4 + 2 + 3);
  readonly #vp8: boolean;
  #paused: boolean;
  #producerPaused: boolean;
  #closed = false;
  #preferred: ConsumerLayers | undefined;
  #current = -1;
  #target = 0;
  #syncRequired = true;
  #started = false;
  #seqOffset = 0;
  #tsOffset = 0;
  #picIdOffset = 0;
  #tl0Offset = 0;
  #lastSeq = 0;
  #lastTs = 0;
  #lastSentMs = 0;
  #lastPictureId: number | undefined;
  #lastTl0: number | undefined;
  #rtxSeq = randomUint16();
  // What each sent sequence number was, so a NACK can be answered from the producer's buffer.
  readonly #sentSeq = new Int32Array(SENT_HISTORY).fill(-1);
  readonly #sentOrigSeq = new Uint16Array(SENT_HISTORY);
  readonly #sentLayer = new Uint8Array(SENT_HISTORY);
  readonly #sentTsOffset = new Uint32Array(SENT_HISTORY);
  readonly #sentPicOffset = new Uint16Array(SENT_HISTORY);
  readonly #sentTl0Offset = new Uint8Array(SENT_HISTORY);
  packetCount = 0;
  byteCount = 0;
  retransmittedPackets = 0;
  nackCount = 0;
  pliCount = 0;
  firCount = 0;
  fractionLost = 0;
  #score: ConsumerScore = { score: 10, producerScore: 10, producerScores: [] };
  #probeDemand = 0;
  readonly #bandwidthGate: VideoBandwidthGate;

  constructor(params: {
    producer: WeriftProducer;
    setup: ConsumerRtpSetup;
    paused: boolean;
    preferredLayers: ConsumerLayers | undefined;
    appData: Record<string, unknown>;
    link: ConsumerTransportLink;
    onClose: (consumer: WeriftConsumer) => void;
    bandwidthGate?: VideoBandwidthGateOptions;
  }) {
    super();
    this.#producer = params.producer;
    this.producerId = params.producer.id;
    this.kind = params.producer.kind;
    this.type = params.producer.type;
    this.#setup = params.setup;
    this.rtpParameters = params.setup.rtpParameters;
    this.ssrc = params.setup.ssrc;
    this.#midBuffer = Buffer.from(params.setup.rtpParameters.mid ?? '').subarray(0, 16);
    this.#vp8 = params.producer.mimeType.toLowerCase() === 'video/vp8';
    this.appData = params.appData;
    this.#paused = params.paused;
    this.#producerPaused = params.producer.paused;
    this.#link = params.link;
    this.#onClose = params.onClose;
    this.#preferred = params.preferredLayers;
    this.#producerAudioLevelId = params.producer.rtpParameters.headerExtensions?.find(
      (e) => e.uri === RTP_EXT.audioLevel,
    )?.id;
    this.#target = this.type === 'simulcast' ? this.#maxSpatial() : 0;
    this.#bandwidthGate = new VideoBandwidthGate(params.bandwidthGate);
    params.producer.sinks.add(this);
  }

  get paused(): boolean {
    return this.#paused;
  }
  get producerPaused(): boolean {
    return this.#producerPaused;
  }
  get closed(): boolean {
    return this.#closed;
  }
  get score(): ConsumerScore {
    return this.#score;
  }
  get preferredLayers(): ConsumerLayers | undefined {
    return this.#preferred;
  }
  get currentLayers(): ConsumerLayers | undefined {
    if (this.kind !== 'video' || this.#current < 0) return undefined;
    return { spatialLayer: this.#current };
  }
  /** The spatial layer the consumer is switching to (equal to the current one when settled). */
  get targetSpatialLayer(): number {
    return this.#target;
  }
  get active(): boolean {
    return !this.#closed && !this.#paused && !this.#producerPaused;
  }
  get bandwidthPaused(): boolean {
    return this.#bandwidthGate.paused;
  }
  /** Media goes out: active, and not held back for want of bandwidth. */
  get forwarding(): boolean {
    return this.active && !this.#bandwidthGate.paused;
  }

  #maxSpatial(): number {
    const n = this.#producer.streams.length;
    return Math.min(n - 1, this.#preferred?.spatialLayer ?? n - 1);
  }

  onProducerPacket(index: number, packet: RtpPacketView, keyFrame: boolean, nowMs: number): void {
    if (!this.forwarding || !this.#link.sending) return;
    if (index === this.#target && (this.#current !== this.#target || this.#syncRequired)) {
      if (this.kind === 'video' && !keyFrame) {
        this.#producer.requestKeyFrame(index, nowMs);
        if (index !== this.#current || this.#syncRequired) return;
      } else {
        this.#sync(packet, nowMs);
        const changed = this.#current !== index;
        this.#current = index;
        this.#syncRequired = false;
        if (changed && this.kind === 'video') this.safeEmit('layerschange', { spatialLayer: index });
      }
    } else if (index !== this.#current || this.#syncRequired) {
      return;
    }
    this.#forward(index, packet, nowMs);
  }

  /** Offsets that make the next packet follow the last one sent: sequence, timestamp and VP8 picture ids. */
  #sync(packet: RtpPacketView, nowMs: number): void {
    const vp8 = this.#vp8 ? parseVp8(packet.payload) : undefined;
    if (!this.#started) {
      this.#seqOffset = 0;
      this.#tsOffset = 0;
      this.#picIdOffset = 0;
      this.#tl0Offset = 0;
      this.#started = true;
    } else {
      this.#seqOffset = (this.#lastSeq + 1 - packet.header.sequenceNumber) & 0xffff;
      const clockRate = this.#producer.clockRate;
      const ticks = Math.max(1, Math.round(((nowMs - this.#lastSentMs) * clockRate) / 1000));
      this.#tsOffset = (this.#lastTs + ticks - packet.header.timestamp) >>> 0;
      if (vp8?.pictureId !== undefined && this.#lastPictureId !== undefined) {
        this.#picIdOffset = (this.#lastPictureId + 1 - vp8.pictureId) & 0x7fff;
      }
      if (vp8?.tl0PicIdx !== undefined && this.#lastTl0 !== undefined) {
        this.#tl0Offset = (this.#lastTl0 + 1 - vp8.tl0PicIdx) & 0xff;
      }
    }
  }

  #rewritePayload(payload: Buffer, picOffset: number, tl0Offset: number): Buffer {
    if (picOffset === 0 && tl0Offset === 0) return payload;
    const vp8 = parseVp8(payload);
    if (!vp8) return payload;
    const out = Buffer.from(payload);
    if (vp8.pictureIdOffset !== undefined && vp8.pictureId !== undefined) {
      if (vp8.pictureIdBits === 15)
        out.writeUInt16BE(0x8000 | ((vp8.pictureId + picOffset) & 0x7fff), vp8.pictureIdOffset);
      else out[vp8.pictureIdOffset] = (vp8.pictureId + picOffset) & 0x7f;
    }
    if (vp8.tl0PicIdxOffset !== undefined && vp8.tl0PicIdx !== undefined) {
      out[vp8.tl0PicIdxOffset] = (vp8.tl0PicIdx + tl0Offset) & 0xff;
    }
    return out;
  }

  /** Writes the outgoing header into the scratch buffer; the extensions are the ones the consumer negotiated. */
  #header(
    packet: RtpPacketView,
    seq: number,
    ts: number,
    ssrc: number,
    payloadType: number,
    nowMs: number,
  ): Buffer {
    const h = this.#headerScratch;
    h[1] = (packet.header.marker ? 0x80 : 0) | payloadType;
    h.writeUInt16BE(seq, 2);
    h.writeUInt32BE(ts >>> 0, 4);
    h.writeUInt32BE(ssrc >>> 0, 8);
    const ids = this.#setup.extIds;
    let o = 16;
    const mid = this.#midBuffer;
    if (ids.mid !== undefined && mid.length > 0) {
      h[o++] = (ids.mid << 4) | (mid.length - 1);
      o += mid.copy(h, o);
    }
    if (ids.absSendTime !== undefined) {
      const value = absSendTime24(nowMs);
      h[o++] = (ids.absSendTime << 4) | 2;
      h[o++] = value >>> 16;
      h[o++] = (value >>> 8) & 0xff;
      h[o++] = value & 0xff;
    }
    if (ids.audioLevel !== undefined && this.#producerAudioLevelId !== undefined) {
      const level = findExtension(packet, this.#producerAudioLevelId);
      if (level && level.length >= 1) {
        h[o++] = ids.audioLevel << 4;
        h[o++] = level[0] as number;
      }
    }
    if (o === 16) {
      h[0] = 0x80;
      return h.subarray(0, 12);
    }
    while ((o - 16) & 3) h[o++] = 0;
    h[0] = 0x90;
    h.writeUInt16BE(0xbede, 12);
    h.writeUInt16BE((o - 16) >> 2, 14);
    return h.subarray(0, o);
  }

  #forward(index: number, packet: RtpPacketView, nowMs: number): void {
    const seq = (packet.header.sequenceNumber + this.#seqOffset) & 0xffff;
    const ts = (packet.header.timestamp + this.#tsOffset) >>> 0;
    const payload =
      this.type === 'simulcast'
        ? this.#rewritePayload(packet.payload, this.#picIdOffset, this.#tl0Offset)
        : packet.payload;
    const header = this.#header(packet, seq, ts, this.ssrc, this.#setup.payloadType, nowMs);
    this.#link.sendRtp(header, payload);
    const slot = seq % SENT_HISTORY;
    this.#sentSeq[slot] = seq;
    this.#sentOrigSeq[slot] = packet.header.sequenceNumber;
    this.#sentLayer[slot] = index;
    this.#sentTsOffset[slot] = this.#tsOffset;
    this.#sentPicOffset[slot] = this.#picIdOffset;
    this.#sentTl0Offset[slot] = this.#tl0Offset;
    this.packetCount++;
    this.byteCount += payload.length;
    if (seqDiff(seq, this.#lastSeq) > 0 || this.packetCount === 1) {
      this.#lastSeq = seq;
      this.#lastTs = ts;
      this.#lastSentMs = nowMs;
      // Picture ids only need continuity across simulcast switches.
      if (this.type === 'simulcast' && this.#vp8) {
        const vp8 = parseVp8(payload);
        if (vp8?.pictureId !== undefined) this.#lastPictureId = vp8.pictureId;
        if (vp8?.tl0PicIdx !== undefined) this.#lastTl0 = vp8.tl0PicIdx;
      }
    }
  }

  /** Answers a NACK from the browser with the buffered packets (as RTX when negotiated). */
  receiveNack(lost: number[], nowMs: number): void {
    this.nackCount++;
    for (const seq of lost) {
      const slot = seq % SENT_HISTORY;
      if (this.#sentSeq[slot] !== seq) continue;
      const layer = this.#sentLayer[slot] as number;
      const original = this.#producer.streams[layer]?.get(this.#sentOrigSeq[slot] as number);
      if (!original) continue;
      const ts = (original.header.timestamp + (this.#sentTsOffset[slot] as number)) >>> 0;
      const payload =
        this.type === 'simulcast'
          ? this.#rewritePayload(
              original.payload,
              this.#sentPicOffset[slot] as number,
              this.#sentTl0Offset[slot] as number,
            )
          : original.payload;
      if (this.#setup.rtxPayloadType !== undefined && this.#setup.rtxSsrc !== undefined) {
        this.#rtxSeq = (this.#rtxSeq + 1) & 0xffff;
        const header = this.#header(
          original,
          this.#rtxSeq,
          ts,
          this.#setup.rtxSsrc,
          this.#setup.rtxPayloadType,
          nowMs,
        );
        const rtxPayload = Buffer.allocUnsafe(payload.length + 2);
        rtxPayload.writeUInt16BE(seq, 0);
        payload.copy(rtxPayload, 2);
        this.#link.sendRtp(header, rtxPayload);
      } else {
        this.#link.sendRtp(
          this.#header(original, seq, ts, this.ssrc, this.#setup.payloadType, nowMs),
          payload,
        );
      }
      this.retransmittedPackets++;
    }
  }

  /** PLI or FIR from the browser: relayed to the producer stream being forwarded (or switched to). */
  receiveKeyFrameRequest(kind: 'pli' | 'fir', nowMs: number): void {
    if (kind === 'pli') this.pliCount++;
    else this.firCount++;
    if (!this.forwarding) return;
    this.#producer.requestKeyFrame(this.#current >= 0 ? this.#current : this.#target, nowMs);
  }

  receiveReceiverReport(fractionLost: number): void {
    this.fractionLost = fractionLost / 256;
    const score = Math.max(0, Math.min(10, Math.round(10 - this.fractionLost * 20)));
    const producerScores = this.#producer.score.map((s) => s.score);
    const producerScore =
      this.#current >= 0 ? (this.#producer.streams[this.#current]?.score ?? 10) : (producerScores[0] ?? 10);
    if (score !== this.#score.score || producerScore !== this.#score.producerScore) {
      this.#score = { score, producerScore, producerScores };
      this.safeEmit('score', this.#score);
    }
  }

  /**
   * Bits per second this consumer lacks to take the next simulcast layer the producer sends, when the
   * receiver's bandwidth estimate is what holds it back; 0 otherwise.
   */
  get probeDemand(): number {
    if (!this.active) return 0;
    // Paused for bandwidth, only padding can make the receiver's estimate grow back to what resuming needs.
    if (this.#bandwidthGate.paused) return this.#bandwidthGate.resumeBitrateBps;
    return this.#probeDemand;
  }

  /**
   * The audio-only fallback: pauses this video consumer when the receiver's estimate leaves it less than its
   * lowest layer needs, and resumes it (with a key frame from the producer) once the estimate has recovered.
   */
  updateBandwidthPause(nowMs: number): void {
    if (this.kind !== 'video' || !this.active || !this.#link.bandwidthEstimated) return;
    const budget = this.#link.videoBudget(this);
    const decision = this.#bandwidthGate.update(budget, nowMs);
    if (decision === 'pause') {
      this.#setNotForwarding();
    } else if (decision === 'resume') {
      this.#syncRequired = true;
      if (this.type === 'simulcast') this.updateLayer(nowMs);
      this.#producer.requestKeyFrame(this.#target, nowMs);
    } else {
      return;
    }
    this.safeEmit('bandwidthpausechange', {
      paused: decision === 'pause',
      availableBitrate: Math.round(budget),
      requiredBitrate: this.#bandwidthGate.minBitrateBps,
    });
  }

  /** The header extension ids the receiver negotiated for this consumer. */
  get headerExtensionIds(): ConsumerRtpSetup['extIds'] {
    return this.#setup.extIds;
  }

  /** Re-chooses the simulcast layer from preferred layers, what the producer sends and the bandwidth. */
  updateLayer(nowMs: number): void {
    if (this.type !== 'simulcast' || !this.forwarding) return;
    const max = this.#maxSpatial();
    const budget = this.#link.videoBudget(this);
    let choice = -1;
    let lowestActive = -1;
    let refused = -1;
    for (let i = 0; i <= max; i++) {
      const stream = this.#producer.streams[i];
      if (!stream || nowMs - stream.lastPacketMs > 1500) continue;
      if (lowestActive < 0) lowestActive = i;
      const limit = i === this.#current ? budget * DOWNGRADE_TOLERANCE : budget;
      if (stream.estimatedBitrate(nowMs) <= limit) {
        choice = i;
        refused = -1;
      } else if (refused < 0) refused = i;
    }
    if (choice < 0) choice = lowestActive;
    this.#probeDemand =
      choice >= 0 && refused > choice
        ? Math.max(
            0,
            (this.#producer.streams[refused]?.estimatedBitrate(nowMs) ?? 0) -
              (this.#producer.streams[choice]?.estimatedBitrate(nowMs) ?? 0),
          )
        : 0;
    if (choice < 0 || choice === this.#target) return;
    this.#target = choice;
    if (choice !== this.#current) this.#producer.requestKeyFrame(choice, nowMs);
  }

  /** A sender report so the browser can map RTP time to wall-clock time (lip sync). */
  senderReport(nowMs: number): RtcpSrPacket | undefined {
    if (this.packetCount === 0 || this.#current < 0) return undefined;
    const clockRate = this.#producer.clockRate;
    const stream = this.#producer.streams[this.#current];
    const rtpTimestamp = stream?.lastSr
      ? (stream.lastSr.rtpTimestamp +
          Math.round(((nowMs - stream.lastSr.arrivalMs) * clockRate) / 1000) +
          this.#tsOffset) >>>
        0
      : (this.#lastTs + Math.round(((nowMs - this.#lastSentMs) * clockRate) / 1000)) >>> 0;
    return new RtcpSrPacket({
      ssrc: this.ssrc,
      senderInfo: new RtcpSenderInfo({
        ntpTimestamp: ntpFromMs(performance.timeOrigin + nowMs),
        rtpTimestamp,
        packetCount: this.packetCount >>> 0,
        octetCount: this.byteCount >>> 0,
      }),
    });
  }

  onProducerPause(paused: boolean): void {
    if (this.#closed) return;
    this.#producerPaused = paused;
    if (paused) {
      this.#endBandwidthPause();
      this.#setNotForwarding();
      this.safeEmit('producerpause');
    } else {
      this.#syncRequired = true;
      this.#producer.requestKeyFrame(this.#target);
      this.safeEmit('producerresume');
    }
  }

  onProducerClose(): void {
    if (this.#closed) return;
    this.#doClose();
    this.safeEmit('producerclose');
  }

  /** A person's pause takes over from the bandwidth's: whoever was told of the latter hears it ended. */
  #endBandwidthPause(): void {
    if (!this.#bandwidthGate.paused) return;
    this.#bandwidthGate.reset();
    this.safeEmit('bandwidthpausechange', {
      paused: false,
      availableBitrate: Math.round(this.#link.videoBudget(this)),
      requiredBitrate: this.#bandwidthGate.minBitrateBps,
    });
  }

  #setNotForwarding(): void {
    this.#syncRequired = true;
    if (this.#current >= 0 && this.kind === 'video') {
      this.#current = -1;
      this.safeEmit('layerschange', null);
    }
  }

  async pause(): Promise<void> {
    if (this.#closed || this.#paused) return;
    this.#paused = true;
    this.#endBandwidthPause();
    this.#setNotForwarding();
    this.observer.safeEmit('pause');
  }

  async resume(): Promise<void> {
    if (this.#closed || !this.#paused) return;
    this.#paused = false;
    this.#syncRequired = true;
    if (this.type === 'simulcast') this.updateLayer(performance.now());
    if (this.kind === 'video') this.#producer.requestKeyFrame(this.#target);
    this.observer.safeEmit('resume');
  }

  async setPreferredLayers(layers: ConsumerLayers): Promise<void> {
    if (this.#closed || this.kind !== 'video') return;
    this.#preferred = { ...layers };
    if (this.type === 'simulcast') this.updateLayer(performance.now());
  }

  async requestKeyFrame(): Promise<void> {
    if (this.#closed || this.kind !== 'video') return;
    this.#producer.requestKeyFrame(this.#current >= 0 ? this.#current : this.#target);
  }

  async getStats(): Promise<ConsumerStat[]> {
    return [
      {
        type: 'outbound-rtp',
        timestamp: Date.now(),
        ssrc: this.ssrc,
        ...(this.#setup.rtxSsrc !== undefined ? { rtxSsrc: this.#setup.rtxSsrc } : {}),
        kind: this.kind,
        mimeType: this.rtpParameters.codecs[0]?.mimeType ?? '',
        packetCount: this.packetCount,
        byteCount: this.byteCount,
        retransmittedPackets: this.retransmittedPackets,
        nackCount: this.nackCount,
        pliCount: this.pliCount,
        firCount: this.firCount,
        fractionLost: this.fractionLost,
        score: this.#score.score,
      },
    ];
  }

  close(): void {
    this.#doClose();
  }

  transportClosed(): void {
    if (this.#closed) return;
    this.#doClose();
    this.safeEmit('transportclose');
  }

  #doClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#producer.sinks.delete(this);
    this.#onClose(this);
    this.observer.safeEmit('close');
  }
}
