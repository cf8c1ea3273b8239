import { randomUUID } from 'node:crypto';
import type { MediaKind, RtpParameters } from '@telemed/shared';
import { AppError } from '@telemed/shared';
import {
  GenericNack,
  PictureLossIndication,
  type RtcpPacket,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
} from 'werift';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type {
  Producer,
  ProducerEvents,
  ProducerObserverEvents,
  ProducerScore,
  ProducerStat,
} from '../Producer.js';
import type { ProducerCodecMapping } from './ortc.js';
import { RtpRecvStream } from './RtpRecvStream.js';
import type { RtpPacketView } from './rtpTypes.js';
import { findExtension, isKeyFrame } from './rtpUtils.js';

const KEY_FRAME_REQUEST_INTERVAL_MS = 300;

/** What a producer needs from its transport. */
export interface ProducerTransportLink {
  readonly rtcpSsrc: number;
  sendRtcp(packets: RtcpPacket[]): void;
}

/** What a producer feeds: a consumer (or an observer) of its packets. */
export interface ProducerSink {
  onProducerPacket(streamIndex: number, packet: RtpPacketView, keyFrame: boolean, nowMs: number): void;
  onProducerPause(paused: boolean): void;
  onProducerClose(): void;
}

export class WeriftProducer extends EnhancedEventEmitter<ProducerEvents> implements Producer {
  readonly id = randomUUID();
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly type: 'simple' | 'simulcast';
  readonly appData: Record<string, unknown>;
  readonly observer = new EnhancedEventEmitter<ProducerObserverEvents>();
  readonly mapping: ProducerCodecMapping;
  readonly mimeType: string;
  readonly clockRate: number;
  /** One per encoding, in the order of `rtpParameters.encodings` (spatial layer order for simulcast). */
  readonly streams: (RtpRecvStream | undefined)[];
  readonly sinks = new Set<ProducerSink>();
  /** Audio level listeners (dBov, 0 loudest … −127). */
  readonly audioLevelListeners = new Set<(producer: WeriftProducer, dBov: number) => void>();
  readonly #link: ProducerTransportLink;
  readonly #onClose: (producer: WeriftProducer) => void;
  #paused: boolean;
  #closed = false;

  constructor(params: {
    kind: MediaKind;
    rtpParameters: RtpParameters;
    mapping: ProducerCodecMapping;
    paused: boolean;
    appData: Record<string, unknown>;
    link: ProducerTransportLink;
    onClose: (producer: WeriftProducer) => void;
  }) {
    super();
    this.kind = params.kind;
    this.rtpParameters = params.rtpParameters;
    this.mapping = params.mapping;
    this.mimeType = params.mapping.codec.mimeType;
    this.clockRate = params.mapping.codec.clockRate;
    this.appData = params.appData;
    this.#paused = params.paused;
    this.#link = params.link;
    this.#onClose = params.onClose;
    const encodings = params.rtpParameters.encodings?.length ? params.rtpParameters.encodings : [{}];
    if (encodings.length > 3)
      throw new AppError('VALIDATION_FAILED', 'At most 3 simulcast encodings are supported');
    this.type = encodings.length > 1 ? 'simulcast' : 'simple';
    this.streams = encodings.map((e) =>
      e.ssrc !== undefined
        ? new RtpRecvStream({
            ssrc: e.ssrc,
            rtxSsrc: e.rtx?.ssrc,
            rid: e.rid,
            clockRate: this.clockRate,
            bufferSize: this.#bufferSize(),
          })
        : undefined,
    );
  }

  /** Browsers do not NACK Opus, so audio keeps only a short history. */
  #bufferSize(): number {
    return this.kind === 'audio' ? 64 : 512;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get score(): ProducerScore[] {
    return this.streams.flatMap((s) =>
      s ? [{ ssrc: s.ssrc, ...(s.rid ? { rid: s.rid } : {}), score: s.score }] : [],
    );
  }

  /** Index of the encoding a RID names, or −1. */
  encodingIndexOfRid(rid: string): number {
    return (this.rtpParameters.encodings ?? []).findIndex((e) => e.rid === rid);
  }

  /** Binds an SSRC first seen with a MID/RID to its encoding. */
  bindStream(index: number, ssrc: number): RtpRecvStream {
    const existing = this.streams[index];
    if (existing) return existing;
    const encoding = this.rtpParameters.encodings?.[index];
    const stream = new RtpRecvStream({
      ssrc,
      rid: encoding?.rid,
      clockRate: this.clockRate,
      bufferSize: this.#bufferSize(),
    });
    this.streams[index] = stream;
    return stream;
  }

  /** An RTP packet from the transport for encoding `index`; `rtx` when it came on the repair stream. */
  receiveRtp(
    index: number,
    packet: RtpPacketView,
    rtx: boolean,
    nowMs: number,
    audioLevelExtId?: number,
  ): void {
    if (this.#closed) return;
    const stream = this.streams[index];
    if (!stream) return;
    let media = packet;
    if (rtx) {
      if (packet.payload.length < 2) return; // padding-only bandwidth probe
      const osn = packet.payload.readUInt16BE(0);
      media = {
        header: {
          ...packet.header,
          payloadType: this.mapping.codec.payloadType,
          sequenceNumber: osn,
          ssrc: stream.ssrc,
        },
        payload: packet.payload.subarray(2),
      };
    } else if (packet.header.payloadType !== this.mapping.codec.payloadType) {
      return;
    }
    if (media.payload.length === 0) return;
    if (!stream.receive(media, nowMs, rtx)) return;
    if (audioLevelExtId !== undefined && this.audioLevelListeners.size > 0) {
      const ext = findExtension(media, audioLevelExtId);
      if (ext && ext.length >= 1) {
        const dBov = -((ext[0] as number) & 0x7f);
        for (const listener of this.audioLevelListeners) listener(this, dBov);
      }
    }
    if (this.#paused) return;
    if (this.sinks.size === 0) return;
    const keyFrame = this.kind === 'video' && isKeyFrame(this.mimeType, media.payload);
    for (const sink of this.sinks) sink.onProducerPacket(index, media, keyFrame, nowMs);
  }

  /** A sender report from the browser for one of this producer's streams. */
  receiveSenderReport(ssrc: number, ntp: bigint, rtpTimestamp: number, nowMs: number): void {
    for (const stream of this.streams) {
      if (stream?.ssrc === ssrc) stream.lastSr = { ntp, rtpTimestamp, arrivalMs: nowMs };
    }
  }

  /** Asks the browser for a key frame on one encoding; requests within 300 ms of the last are merged into one. */
  requestKeyFrame(index: number, nowMs = performance.now()): void {
    const stream = this.streams[index];
    if (!stream || this.#closed) return;
    if (nowMs - stream.lastKeyFrameRequestMs < KEY_FRAME_REQUEST_INTERVAL_MS) {
      stream.keyFrameRequestPending = true;
      return;
    }
    stream.keyFrameRequestPending = false;
    stream.lastKeyFrameRequestMs = nowMs;
    stream.pliCount++;
    this.#link.sendRtcp([
      new RtcpPayloadSpecificFeedback({
        feedback: new PictureLossIndication({ senderSsrc: this.#link.rtcpSsrc, mediaSsrc: stream.ssrc }),
      }),
    ]);
  }

  /** Periodic work: NACKs for upstream losses, bitrates; returns report blocks when `report` is set. */
  tick(nowMs: number, report: boolean): RtcpPacket[] {
    const out: RtcpPacket[] = [];
    for (const [index, stream] of this.streams.entries()) {
      if (!stream) continue;
      if (stream.keyFrameRequestPending) this.requestKeyFrame(index, nowMs);
      if (this.kind === 'video') {
        const lost = stream.takeNacks(nowMs);
        if (lost.length > 0) {
          stream.nackCount += lost.length;
          out.push(
            new RtcpTransportLayerFeedback({
              feedback: new GenericNack({
                senderSsrc: this.#link.rtcpSsrc,
                mediaSourceSsrc: stream.ssrc,
                lost,
              }),
            }),
          );
        }
      }
      if (report) stream.updateRate(nowMs);
    }
    if (report) this.emitScore();
    return out;
  }

  #lastScores = '';
  private emitScore(): void {
    const score = this.score;
    const key = score.map((s) => s.score).join(',');
    if (key !== this.#lastScores) {
      this.#lastScores = key;
      this.safeEmit('score', score);
    }
  }

  async pause(): Promise<void> {
    if (this.#closed || this.#paused) return;
    this.#paused = true;
    for (const sink of this.sinks) sink.onProducerPause(true);
    this.observer.safeEmit('pause');
  }

  async resume(): Promise<void> {
    if (this.#closed || !this.#paused) return;
    this.#paused = false;
    for (const sink of this.sinks) sink.onProducerPause(false);
    this.observer.safeEmit('resume');
  }

  async getStats(): Promise<ProducerStat[]> {
    const timestamp = Date.now();
    return this.streams.flatMap((s) =>
      s
        ? [
            {
              type: 'inbound-rtp' as const,
              timestamp,
              ssrc: s.ssrc,
              ...(s.rtxSsrc !== undefined ? { rtxSsrc: s.rtxSsrc } : {}),
              ...(s.rid ? { rid: s.rid } : {}),
              kind: this.kind,
              mimeType: this.mimeType,
              packetCount: s.packetCount,
              byteCount: s.byteCount,
              packetsLost: s.packetsLost,
              fractionLost: s.fractionLost,
              jitter: s.jitter / this.clockRate,
              bitrate: s.bitrate,
              nackCount: s.nackCount,
              pliCount: s.pliCount,
              firCount: s.firCount,
              score: s.score,
            },
          ]
        : [],
    );
  }

  close(): void {
    this.#doClose();
  }

  /** The transport went away. */
  transportClosed(): void {
    if (this.#closed) return;
    this.#doClose();
    this.safeEmit('transportclose');
  }

  #doClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const sink of [...this.sinks]) sink.onProducerClose();
    this.sinks.clear();
    this.audioLevelListeners.clear();
    for (const stream of this.streams) stream?.clear();
    this.#onClose(this);
    this.observer.safeEmit('close');
  }
}
