import { randomInt } from 'node:crypto';
import { ReceiverEstimatedMaxBitrate, RtcpPayloadSpecificFeedback } from 'werift';
import type { RtpExtensionView, RtpPacketView } from './rtpTypes.js';

export function randomSsrc(): number {
  return randomInt(100_000_000, 0xffff_ffff);
}

export function randomUint16(): number {
  return randomInt(0, 0x8000);
}

/** a − b for 16-bit sequence numbers, in −32768…32767. */
export function seqDiff(a: number, b: number): number {
  return ((a - b + 0x18000) & 0xffff) - 0x8000;
}

/** The abs-send-time header extension's value: seconds in 6.18 fixed point, 24 bits. */
export function absSendTime24(nowMs: number): number {
  return Math.floor(((nowMs / 1000) % 64) * (1 << 18)) & 0xffffff;
}

const NTP_EPOCH_OFFSET_MS = 2_208_988_800_000;

/** The 64-bit NTP time of a wall-clock instant in milliseconds. */
export function ntpFromMs(ms: number): bigint {
  const total = ms + NTP_EPOCH_OFFSET_MS;
  const seconds = Math.floor(total / 1000);
  const fraction = Math.floor(((total % 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds) << 32n) | BigInt(fraction);
}

/** Middle 32 bits of an NTP timestamp (the LSR field of a receiver report). */
export function ntpMiddle32(ntp: bigint): number {
  return Number((ntp >> 16n) & 0xffff_ffffn);
}

/** abs-send-time: 6.18 fixed-point seconds, 24 bits. */
export function absSendTime(ms: number): Buffer {
  const value = Math.floor(((ms / 1000) % 64) * (1 << 18)) & 0xffffff;
  const buf = Buffer.allocUnsafe(3);
  buf.writeUIntBE(value, 0, 3);
  return buf;
}

export interface Vp8Descriptor {
  /** Byte offset of the VP8 payload header. */
  headerLength: number;
  keyFrame: boolean;
  pictureIdOffset: number | undefined;
  pictureIdBits: 7 | 15 | undefined;
  pictureId: number | undefined;
  tl0PicIdxOffset: number | undefined;
  tl0PicIdx: number | undefined;
}

/** Parses the VP8 payload descriptor (RFC 7741 §4.2); undefined when the payload is malformed. */
export function parseVp8(payload: Buffer): Vp8Descriptor | undefined {
  if (payload.length < 1) return undefined;
  const b0 = payload[0] as number;
  let offset = 1;
  let pictureIdOffset: number | undefined;
  let pictureIdBits: 7 | 15 | undefined;
  let pictureId: number | undefined;
  let tl0PicIdxOffset: number | undefined;
  let tl0PicIdx: number | undefined;
  if (b0 & 0x80) {
    if (payload.length < 2) return undefined;
    const x = payload[1] as number;
    offset = 2;
    if (x & 0x80) {
      if (payload.length < offset + 1) return undefined;
      pictureIdOffset = offset;
      if ((payload[offset] as number) & 0x80) {
        if (payload.length < offset + 2) return undefined;
        pictureIdBits = 15;
        pictureId = payload.readUInt16BE(offset) & 0x7fff;
        offset += 2;
      } else {
        pictureIdBits = 7;
        pictureId = (payload[offset] as number) & 0x7f;
        offset += 1;
      }
    }
    if (x & 0x40) {
      tl0PicIdxOffset = offset;
      tl0PicIdx = payload[offset];
      offset += 1;
    }
    if (x & 0x30) offset += 1;
  }
  if (payload.length <= offset) return undefined;
  const start = (b0 & 0x10) !== 0 && (b0 & 0x0f) === 0;
  const keyFrame = start && ((payload[offset] as number) & 0x01) === 0;
  return {
    headerLength: offset,
    keyFrame,
    pictureIdOffset,
    pictureIdBits,
    pictureId,
    tl0PicIdxOffset,
    tl0PicIdx,
  };
}

/** Whether an H264 RTP payload starts an IDR picture (single NAL, STAP-A or FU-A start). */
export function isH264KeyFrame(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const type = (payload[0] as number) & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 24) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = payload.readUInt16BE(offset);
      const nal = (payload[offset + 2] as number) & 0x1f;
      if (nal === 5 || nal === 7) return true;
      offset += 2 + size;
    }
    return false;
  }
  if (type === 28) {
    const fu = payload[1] as number;
    return (fu & 0x80) !== 0 && (fu & 0x1f) === 5;
  }
  return false;
}

export function isKeyFrame(mimeType: string, payload: Buffer): boolean {
  const m = mimeType.toLowerCase();
  if (m === 'video/vp8') return parseVp8(payload)?.keyFrame ?? false;
  if (m === 'video/h264') return isH264KeyFrame(payload);
  return false;
}

/** A REMB packet; werift serializes exponent and mantissa as given, so they are computed here. */
export function createRemb(
  senderSsrc: number,
  bitrate: number,
  ssrcs: number[],
): RtcpPayloadSpecificFeedback {
  let mantissa = Math.max(0, Math.floor(bitrate));
  let exp = 0;
  while (mantissa > 0x3ffff) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  return new RtcpPayloadSpecificFeedback({
    feedback: new ReceiverEstimatedMaxBitrate({
      senderSsrc,
      mediaSsrc: 0,
      brExp: exp,
      brMantissa: mantissa,
      bitrate: BigInt(mantissa) * 2n ** BigInt(exp),
      ssrcNum: ssrcs.length,
      ssrcFeedbacks: ssrcs,
    }),
  });
}

/**
 * Parses an RTP header into fields and views of the extension bytes, without copies; `payload` is the
 * (decrypted) payload that followed it, padding included. Undefined when malformed. One-byte (0xBEDE)
 * and two-byte (0x100x) extensions.
 */
export function parseRtp(header: Buffer, payload: Buffer): RtpPacketView | undefined {
  const length = header.length;
  if (length < 12) return undefined;
  const b0 = header[0] as number;
  if (b0 >> 6 !== 2) return undefined;
  const offset = 12 + (b0 & 0x0f) * 4;
  const extensions: RtpExtensionView[] = [];
  if (b0 & 0x10) {
    if (length < offset + 4) return undefined;
    const profile = header.readUInt16BE(offset);
    const end = offset + 4 + header.readUInt16BE(offset + 2) * 4;
    if (end > length) return undefined;
    let i = offset + 4;
    if (profile === 0xbede) {
      while (i < end) {
        const b = header[i] as number;
        if (b === 0) {
          i++;
          continue;
        }
        const id = b >> 4;
        if (id === 15) break;
        const size = (b & 0x0f) + 1;
        if (i + 1 + size > end) return undefined;
        extensions.push({ id, payload: header.subarray(i + 1, i + 1 + size) });
        i += 1 + size;
      }
    } else if ((profile & 0xfff0) === 0x1000) {
      while (i + 1 < end) {
        const id = header[i] as number;
        if (id === 0) {
          i++;
          continue;
        }
        const size = header[i + 1] as number;
        if (i + 2 + size > end) return undefined;
        extensions.push({ id, payload: header.subarray(i + 2, i + 2 + size) });
        i += 2 + size;
      }
    }
  }
  let payloadEnd = payload.length;
  if (b0 & 0x20) {
    const padding = payload[payloadEnd - 1] ?? 0;
    if (padding === 0 || padding > payloadEnd) return undefined;
    payloadEnd -= padding;
  }
  const b1 = header[1] as number;
  return {
    header: {
      payloadType: b1 & 0x7f,
      marker: (b1 & 0x80) !== 0,
      sequenceNumber: header.readUInt16BE(2),
      timestamp: header.readUInt32BE(4),
      ssrc: header.readUInt32BE(8),
      extensions,
    },
    payload: payloadEnd === payload.length ? payload : payload.subarray(0, payloadEnd),
  };
}

/** The payload of the extension with this id, if the packet carries it. */
export function findExtension(packet: RtpPacketView, id: number): Buffer | undefined {
  const extensions = packet.header.extensions;
  for (let i = 0; i < extensions.length; i++) {
    const e = extensions[i] as RtpExtensionView;
    if (e.id === id) return e.payload;
  }
  return undefined;
}
