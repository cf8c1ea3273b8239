import { type Extension, RtpHeader } from 'werift';
import { randomSsrc, randomUint16 } from '../engine/werift/rtpUtils.js';

export interface SyntheticSourceOptions {
  kind: 'audio' | 'video';
  payloadType: number;
  ssrc?: number;
  /** Bits per second of payload. */
  bitrate: number;
  /** Frames (video) or packets (audio) per second. */
  frameRate: number;
  /** Header extensions each packet carries (e.g. MID and RID). */
  extensions?: Extension[];
  /** Written into every payload after the VP8 descriptor, so a receiver can tell the streams apart. */
  tag?: number;
  /** Transport-wide sequence number extension id; the counter is shared through `nextTransportSeq`. */
  transportCcId?: number;
  nextTransportSeq?: () => number;
}

/**
 * Produces RTP packets shaped like a real sender's: VP8 payload descriptors (15-bit picture id,
 * S bit, key frame flag) in MTU-sized packets per frame, or 20 ms audio packets.
 */
export class SyntheticSource {
  readonly ssrc: number;
  readonly options: SyntheticSourceOptions;
  seq = randomUint16();
  timestamp = randomUint16() * 1000;
  pictureId = randomUint16() & 0x7fff;
  frames = 0;
  #keyFrameRequested = true;
  /** Sent packets by sequence number, for answering NACKs. */
  readonly sent = new Map<number, { header: RtpHeader; payload: Buffer }>();

  constructor(options: SyntheticSourceOptions) {
    this.options = options;
    this.ssrc = options.ssrc ?? randomSsrc();
  }

  requestKeyFrame(): void {
    this.#keyFrameRequested = true;
  }

  /** The packets of the next frame; `sendTimeMs` is written into the payload for latency measurement. */
  nextFrame(sendTimeMs: number): { header: RtpHeader; payload: Buffer }[] {
    const { kind, bitrate, frameRate } = this.options;
    const clockRate = kind === 'audio' ? 48000 : 90000;
    const frameBytes = Math.max(20, Math.round(bitrate / 8 / frameRate));
    const keyFrame = kind === 'video' && (this.#keyFrameRequested || this.frames % 300 === 0);
    this.#keyFrameRequested = false;
    const maxPayload = 1100;
    const count =
      kind === 'audio' ? 1 : Math.max(1, Math.ceil((keyFrame ? frameBytes * 3 : frameBytes) / maxPayload));
    const perPacket =
      kind === 'audio' ? frameBytes : Math.ceil((keyFrame ? frameBytes * 3 : frameBytes) / count);
    const packets: { header: RtpHeader; payload: Buffer }[] = [];
    for (let i = 0; i < count; i++) {
      const payload = Buffer.alloc(Math.max(perPacket, 24));
      let offset = 0;
      if (kind === 'video') {
        payload[0] = 0x80 | (i === 0 ? 0x10 : 0); // X, S on the first packet of the frame
        payload[1] = 0x80; // I: picture id present
        payload.writeUInt16BE(0x8000 | this.pictureId, 2);
        payload[4] = keyFrame ? 0x00 : 0x01; // VP8 payload header: P=0 on key frames
        offset = 5;
      }
      payload.writeUInt32BE(this.options.tag ?? 0, offset);
      payload.writeUInt32BE(this.frames >>> 0, offset + 4);
      payload.writeDoubleBE(sendTimeMs, offset + 8);
      const extensions = [...(this.options.extensions ?? [])];
      if (this.options.transportCcId !== undefined && this.options.nextTransportSeq) {
        const b = Buffer.alloc(2);
        b.writeUInt16BE(this.options.nextTransportSeq() & 0xffff, 0);
        extensions.push({ id: this.options.transportCcId, payload: b });
      }
      const header = new RtpHeader({
        payloadType: this.options.payloadType,
        sequenceNumber: this.seq,
        timestamp: this.timestamp >>> 0,
        ssrc: this.ssrc,
        marker: i === count - 1,
        extensionProfile: 0xbede,
        extensions,
      });
      this.sent.set(this.seq, { header, payload });
      this.sent.delete((this.seq - 512) & 0xffff);
      this.seq = (this.seq + 1) & 0xffff;
      packets.push({ header, payload });
    }
    this.frames++;
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    this.timestamp = (this.timestamp + Math.round(clockRate / frameRate)) >>> 0;
    return packets;
  }

  /** Reads what `nextFrame` wrote: the tag, frame number and send time. */
  static readPayload(
    kind: 'audio' | 'video',
    payload: Buffer,
  ): { tag: number; frame: number; sendTimeMs: number } {
    const offset = kind === 'video' ? 5 : 0;
    return {
      tag: payload.readUInt32BE(offset),
      frame: payload.readUInt32BE(offset + 4),
      sendTimeMs: payload.readDoubleBE(offset + 8),
    };
  }
}
