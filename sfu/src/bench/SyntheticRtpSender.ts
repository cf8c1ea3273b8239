import {
  PictureLossIndication,
  type RtcpPacket,
  RtcpPayloadSpecificFeedback,
  RtcpSenderInfo,
  RtcpSrPacket,
} from 'werift';
import { ntpFromMs } from '../engine/werift/rtpUtils.js';
import { EXT } from '../testing/loopbackHarness.js';
import type { RtcTestPeer } from '../testing/RtcTestPeer.js';

const MAX_PAYLOAD = 1100;
/** The VP8 payload descriptor the sender writes (X, S; I with a 15-bit picture id) and the payload header's first byte. */
export const VP8_PREFIX = 5;
/** Key frames are 3× a frame's bytes, every 300 frames (10 s at 30 fps) and whenever the SFU asks for one. */
const KEY_FRAME_EVERY = 300;

export interface SyntheticStreamOptions {
  kind: 'audio' | 'video';
  ssrc: number;
  mid: string;
  /** A simulcast layer's rid, sent in every packet as mediasoup-client's browsers do at the start of a stream. */
  rid?: string;
  /** Written into each payload (first 4 bytes after the VP8 descriptor), so a receiver can tell the layer. */
  layer?: number;
  bitrate: number;
  frameRate: number;
  /** When the first frame is due, on `performance.now()`'s clock. */
  startMs: number;
}

/**
 * One synthetic media stream: VP8-shaped video (packets of at most 1100 bytes) or Opus-shaped audio, with the
 * MID (and rid, and audio level) header extensions a browser sends. Headers and payloads are written into reused
 * buffers (the data path copies them while encrypting), so the generator's per-packet cost stays close to the
 * engine's. Answers key frame requests, and sends sender reports, as a browser does (mediasoup switches a
 * consumer between simulcast layers only once it has sender reports of both).
 */
export class SyntheticRtpSender {
  readonly ssrc: number;
  readonly kind: 'audio' | 'video';
  readonly layer: number;
  /** When the next frame is due. */
  nextMs: number;
  readonly intervalMs: number;
  readonly #peer: RtcTestPeer;
  readonly #header: Buffer;
  readonly #payload = Buffer.alloc(MAX_PAYLOAD);
  readonly #frameBytes: number;
  readonly #tsStep: number;
  readonly #clockRate: number;
  #seq = Math.floor(Math.random() * 0x8000);
  #timestamp = Math.floor(Math.random() * 0x7fffffff);
  #timestampAtMs = performance.now();
  #pictureId = Math.floor(Math.random() * 0x7fff);
  #frames = 0;
  #keyFrameRequested = false;
  #packetsSent = 0;
  #octetsSent = 0;

  constructor(peer: RtcTestPeer, options: SyntheticStreamOptions) {
    this.#peer = peer;
    this.ssrc = options.ssrc;
    this.kind = options.kind;
    this.layer = options.layer ?? 0;
    this.#clockRate = options.kind === 'video' ? 90000 : 48000;
    this.#frameBytes = Math.round(options.bitrate / 8 / options.frameRate);
    this.#tsStep = Math.round(this.#clockRate / options.frameRate);
    this.intervalMs = 1000 / options.frameRate;
    this.nextMs = options.startMs;
    this.#header = SyntheticRtpSender.#headerFor(options);
  }

  /** A header with the one-byte header extensions: MID, then the rid (simulcast) or the audio level (audio). */
  static #headerFor(options: SyntheticStreamOptions): Buffer {
    const elements: Buffer[] = [
      Buffer.from([(EXT.mid << 4) | (options.mid.length - 1)]),
      Buffer.from(options.mid),
    ];
    if (options.rid)
      elements.push(Buffer.from([(EXT.rid << 4) | (options.rid.length - 1)]), Buffer.from(options.rid));
    if (options.kind === 'audio') elements.push(Buffer.from([EXT.audioLevel << 4, 0x80 | 40]));
    const extension = Buffer.concat(elements);
    const words = Math.ceil(extension.length / 4);
    const header = Buffer.alloc(16 + words * 4);
    header[0] = 0x90;
    header[1] = options.kind === 'video' ? 96 : 111;
    header.writeUInt32BE(options.ssrc, 8);
    header.writeUInt16BE(0xbede, 12);
    header.writeUInt16BE(words, 14);
    extension.copy(header, 16);
    return header;
  }

  /** PLI and FIR from the SFU: the named stream's next frame is a key frame, as a browser's encoder answers. */
  static answerKeyFrameRequest(
    streamsBySsrc: ReadonlyMap<number, SyntheticRtpSender>,
    packet: RtcpPacket,
  ): void {
    if (!(packet instanceof RtcpPayloadSpecificFeedback)) return;
    const { feedback } = packet;
    if (feedback instanceof PictureLossIndication) streamsBySsrc.get(feedback.mediaSsrc)?.requestKeyFrame();
    // werift does not export its FullIntraRequest class: a FIR is the feedback with FCI entries.
    else if ('fir' in feedback) {
      for (const entry of feedback.fir) streamsBySsrc.get(entry.ssrc)?.requestKeyFrame();
    }
  }

  /** The SFU asked for a key frame (PLI or FIR): the next frame is one. */
  requestKeyFrame(): void {
    if (this.kind === 'video') this.#keyFrameRequested = true;
  }

  /** Sends one frame: its packets (one for audio), the last with the marker bit. Returns the packet count. */
  sendFrame(sendTimeMs: number): number {
    const keyFrame =
      this.kind === 'video' && (this.#frames % KEY_FRAME_EVERY === 0 || this.#keyFrameRequested);
    this.#keyFrameRequested = false;
    const bytes = keyFrame ? this.#frameBytes * 3 : this.#frameBytes;
    const count = this.kind === 'audio' ? 1 : Math.ceil(bytes / MAX_PAYLOAD);
    const perPacket = Math.min(MAX_PAYLOAD, Math.max(24, Math.ceil(bytes / count)));
    const header = this.#header;
    const payload = this.#payload;
    header.writeUInt32BE(this.#timestamp >>> 0, 4);
    for (let i = 0; i < count; i++) {
      header[1] = (header[1] as number) & 0x7f;
      if (i === count - 1) header[1] = (header[1] as number) | 0x80;
      header.writeUInt16BE(this.#seq, 2);
      let offset = 0;
      if (this.kind === 'video') {
        payload[0] = 0x80 | (i === 0 ? 0x10 : 0);
        payload[1] = 0x80;
        payload.writeUInt16BE(0x8000 | this.#pictureId, 2);
        // The VP8 payload header's first byte: P = 0 marks a key frame.
        payload[4] = keyFrame ? 0x00 : 0x01;
        offset = VP8_PREFIX;
      }
      payload.writeUInt32BE(this.layer, offset);
      payload.writeUInt32BE(this.#frames >>> 0, offset + 4);
      payload.writeDoubleBE(sendTimeMs, offset + 8);
      this.#peer.sendRawRtp(header, payload.subarray(0, perPacket));
      this.#packetsSent++;
      this.#octetsSent += perPacket;
      this.#seq = (this.#seq + 1) & 0xffff;
    }
    this.#frames++;
    this.#pictureId = (this.#pictureId + 1) & 0x7fff;
    this.#timestamp = (this.#timestamp + this.#tsStep) >>> 0;
    this.#timestampAtMs = performance.now();
    return count;
  }

  /** A sender report for now: wall clock against this stream's RTP clock, and what it has sent. */
  senderReport(nowMs: number): RtcpSrPacket {
    return new RtcpSrPacket({
      ssrc: this.ssrc,
      senderInfo: new RtcpSenderInfo({
        ntpTimestamp: ntpFromMs(performance.timeOrigin + nowMs),
        rtpTimestamp:
          (this.#timestamp + Math.round(((nowMs - this.#timestampAtMs) * this.#clockRate) / 1000)) >>> 0,
        packetCount: this.#packetsSent >>> 0,
        octetCount: this.#octetsSent >>> 0,
      }),
    });
  }

  /** What a receiver of one of this sender's packets reads from its payload (after the VP8 prefix for video). */
  static readPayload(
    kind: 'audio' | 'video',
    payload: Buffer,
  ): { layer: number; frame: number; sendTimeMs: number } {
    const offset = kind === 'video' ? VP8_PREFIX : 0;
    return {
      layer: payload.readUInt32BE(offset),
      frame: payload.readUInt32BE(offset + 4),
      sendTimeMs: payload.readDoubleBE(offset + 8),
    };
  }
}
