import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import {
  ProtectionProfileAeadAes128Gcm,
  type RTCDtlsTransport,
  type RtcpPacket,
  RtcpPacketConverter,
} from 'werift';

/** What werift's SRTP context holds after the DTLS handshake (session keys per RFC 3711 §4.3). */
interface WeriftSrtpContext {
  srtpSessionKey: Buffer;
  srtpSessionSalt: Buffer;
  srtpSessionAuthTag: Buffer;
  profile: number;
}

/** The werift internals the data path reaches into; all exist in werift 0.25. */
interface WeriftDtlsInternals {
  srtpStarted: boolean;
  startSrtp(): void;
  updateSrtpSession(): void;
  srtp: { localContext: WeriftSrtpContext; remoteContext: WeriftSrtpContext };
  srtcp: { decrypt(data: Buffer): Buffer };
  bytesReceived: number;
  packetsReceived: number;
  bytesSent: number;
  packetsSent: number;
  onRtcp: { execute(packet: RtcpPacket): void };
}

interface IceConnectionInternals {
  onData: { subscribe(listener: (data: Buffer) => void): unknown };
  nominated?: {
    remoteAddr: [string, number];
    protocol: { transport?: { socket?: { send(b: Buffer, port: number, address: string): void } } };
    packetsSent: number;
    bytesSent: number;
  };
  canSendApplicationData?(): boolean;
  send(data: Buffer): Promise<void>;
}

/** Per-SSRC rollover counter state (RFC 3711 §3.3.1). */
interface RocState {
  roc: number;
  lastSeq: number;
}

const MAX_PACKET = 1500;

/** The packet index's rollover counter for `seq`, guessed from the highest sequence number seen so far. */
function guessRoc(state: RocState, seq: number): number {
  if (state.lastSeq < 0x8000) {
    return seq - state.lastSeq > 0x8000 ? state.roc - 1 : state.roc;
  }
  return state.lastSeq - 0x8000 > seq ? state.roc + 1 : state.roc;
}

function advance(state: RocState, seq: number, roc: number): void {
  if (roc > state.roc || (roc === state.roc && seq > state.lastSeq)) {
    state.roc = roc;
    state.lastSeq = seq;
  }
}

/**
 * SRTP for RTP media on a werift DTLS transport without werift's per-packet objects: packets arrive as
 * decrypted bytes and leave as bytes, straight from and to the UDP socket. werift still runs ICE, the
 * DTLS handshake, key derivation and SRTCP; this class replaces only `startSrtp`'s RTP data path, which
 * profiling showed spent most of its time building header objects, bit-by-bit parsing and promise chains.
 *
 * Why not werift's `sendRtp`: it parses nothing but serializes an `RtpHeader` object per packet and goes
 * through four async functions before `socket.send`; a forwarded packet's header is rewritten as bytes.
 */
export class SrtpDataPath {
  readonly #dtls: RTCDtlsTransport & WeriftDtlsInternals;
  readonly #connection: IceConnectionInternals;
  #onRtp: (header: Buffer, payload: Buffer) => void = () => undefined;
  #onRtcpBytes: ((compound: Buffer) => void) | undefined;
  #filter: ((packet: Buffer) => boolean) | undefined;
  #local: WeriftSrtpContext | undefined;
  #remote: WeriftSrtpContext | undefined;
  readonly #sendRoc = new Map<number, RocState>();
  readonly #recvRoc = new Map<number, RocState>();
  readonly #iv = Buffer.alloc(16);
  readonly #rocBytes = Buffer.alloc(4);
  /** SRTP packets dropped because they failed authentication or were malformed. */
  dropped = 0;

  constructor(dtls: RTCDtlsTransport) {
    this.#dtls = dtls as RTCDtlsTransport & WeriftDtlsInternals;
    this.#connection = dtls.iceTransport.connection as unknown as IceConnectionInternals;
    const self = this;
    // Replaces werift's method on this instance only; it is called once, when the handshake completes.
    this.#dtls.startSrtp = function startSrtp(this: WeriftDtlsInternals) {
      if (this.srtpStarted) return;
      this.srtpStarted = true;
      this.updateSrtpSession();
      self.#local = this.srtp.localContext;
      self.#remote = this.srtp.remoteContext;
      self.#connection.onData.subscribe((data) => self.#receive(data));
    };
  }

  /** Whether SRTP keys exist (the DTLS handshake completed). */
  get ready(): boolean {
    return this.#local !== undefined;
  }

  /**
   * Sets the listener for decrypted RTP packets: the header bytes (a view into the received datagram; SRTP
   * leaves headers in the clear) and the decrypted payload (padding included).
   */
  /** The decrypted compound RTCP bytes, before werift parses them (a test reads what werift's parser skips). */
  onRtcpBytes(listener: ((compound: Buffer) => void) | undefined): void {
    this.#onRtcpBytes = listener;
  }

  onRtp(listener: (header: Buffer, payload: Buffer) => void): void {
    this.#onRtp = listener;
  }

  /**
   * Sees each SRTP packet before it is authenticated; returning false skips authentication and decryption.
   * Only the benchmark's load generator uses it, to read sequence numbers from the clear-text headers of
   * most packets and decrypt a sample.
   */
  setPreDecryptFilter(filter: ((packet: Buffer) => boolean) | undefined): void {
    this.#filter = filter;
  }

  #receive(data: Buffer): void {
    // RFC 7983 demultiplexing: 128–191 is RTP/RTCP.
    const first = data[0] as number;
    if (data.length < 12 || first < 128 || first > 191) return;
    const dtls = this.#dtls;
    dtls.bytesReceived += data.length;
    dtls.packetsReceived++;
    const pt = (data[1] as number) & 0x7f;
    if (pt >= 64 && pt <= 95) {
      this.#receiveRtcp(data);
      return;
    }
    if (this.#filter && !this.#filter(data)) return;
    this.#decryptRtp(data);
  }

  #receiveRtcp(data: Buffer): void {
    let packets: RtcpPacket[];
    try {
      const compound = this.#dtls.srtcp.decrypt(data);
      this.#onRtcpBytes?.(compound);
      packets = RtcpPacketConverter.deSerialize(compound);
    } catch {
      this.dropped++;
      return;
    }
    for (const packet of packets) this.#dtls.onRtcp.execute(packet);
  }

  /** Length of the RTP header (fixed part, CSRCs and extension block), or −1 when malformed. */
  static headerLength(packet: Buffer, end = packet.length): number {
    let length = 12 + ((packet[0] as number) & 0x0f) * 4;
    if ((packet[0] as number) & 0x10) {
      if (end < length + 4) return -1;
      length += 4 + packet.readUInt16BE(length + 2) * 4;
    }
    return length <= end ? length : -1;
  }

  #decryptRtp(data: Buffer): void {
    const ctx = this.#remote;
    if (!ctx) return;
    const gcm = ctx.profile === ProtectionProfileAeadAes128Gcm;
    const tagLength = gcm ? 16 : 10;
    const end = data.length - tagLength;
    const headerLength = SrtpDataPath.headerLength(data, end);
    const ssrc = data.readUInt32BE(8);
    const seq = data.readUInt16BE(2);
    let state = this.#recvRoc.get(ssrc);
    if (!state) {
      state = { roc: 0, lastSeq: seq };
      this.#recvRoc.set(ssrc, state);
    }
    const roc = headerLength < 0 ? -1 : guessRoc(state, seq);
    if (roc < 0) {
      this.dropped++;
      return;
    }
    const header = data.subarray(0, headerLength);
    let payload: Buffer;
    try {
      if (gcm) {
        const decipher = createDecipheriv(
          'aes-128-gcm',
          ctx.srtpSessionKey,
          this.#gcmIv(ctx, ssrc, roc, seq),
        );
        decipher.setAAD(header);
        decipher.setAuthTag(data.subarray(end));
        payload = decipher.update(data.subarray(headerLength, end));
        decipher.final();
      } else {
        this.#rocBytes.writeUInt32BE(roc >>> 0, 0);
        const hmac = createHmac('sha1', ctx.srtpSessionAuthTag);
        hmac.update(data.subarray(0, end));
        hmac.update(this.#rocBytes);
        if (!timingSafeEqual(hmac.digest().subarray(0, 10), data.subarray(end))) {
          this.dropped++;
          return;
        }
        const decipher = createDecipheriv(
          'aes-128-ctr',
          ctx.srtpSessionKey,
          this.#ctrIv(ctx, ssrc, roc, seq),
        );
        payload = decipher.update(data.subarray(headerLength, end));
      }
    } catch {
      this.dropped++;
      return;
    }
    advance(state, seq, roc);
    this.#onRtp(header, payload);
  }

  /**
   * Encrypts and sends one RTP packet given as header bytes and payload bytes; `header` may be a scratch
   * buffer the caller reuses, since it is copied before this returns.
   */
  sendRtp(header: Buffer, payload: Buffer): number {
    const ctx = this.#local;
    if (!ctx) return 0;
    const headerLength = header.length;
    const ssrc = header.readUInt32BE(8);
    const seq = header.readUInt16BE(2);
    let state = this.#sendRoc.get(ssrc);
    if (!state) {
      state = { roc: 0, lastSeq: seq };
      this.#sendRoc.set(ssrc, state);
    }
    const roc = Math.max(0, guessRoc(state, seq));
    advance(state, seq, roc);
    const gcm = ctx.profile === ProtectionProfileAeadAes128Gcm;
    const tagLength = gcm ? 16 : 10;
    const total = headerLength + payload.length + tagLength;
    if (total > MAX_PACKET + 100) return 0;
    const out = Buffer.allocUnsafe(total);
    header.copy(out, 0);
    if (gcm) {
      const cipher = createCipheriv('aes-128-gcm', ctx.srtpSessionKey, this.#gcmIv(ctx, ssrc, roc, seq));
      cipher.setAAD(header);
      cipher.update(payload).copy(out, headerLength);
      cipher.final();
      cipher.getAuthTag().copy(out, headerLength + payload.length);
    } else {
      const cipher = createCipheriv('aes-128-ctr', ctx.srtpSessionKey, this.#ctrIv(ctx, ssrc, roc, seq));
      cipher.update(payload).copy(out, headerLength);
      this.#rocBytes.writeUInt32BE(roc >>> 0, 0);
      const hmac = createHmac('sha1', ctx.srtpSessionAuthTag);
      hmac.update(out.subarray(0, headerLength + payload.length));
      hmac.update(this.#rocBytes);
      hmac.digest().copy(out, headerLength + payload.length, 0, 10);
    }
    this.#send(out);
    return total;
  }

  #send(data: Buffer): void {
    const connection = this.#connection;
    const pair = connection.nominated;
    // RFC 7675: no application data after consent expired.
    if (!pair || connection.canSendApplicationData?.() === false) return;
    const socket = pair.protocol.transport?.socket;
    this.#dtls.bytesSent += data.length;
    this.#dtls.packetsSent++;
    if (socket) {
      // A resolved address needs no callback: the packet is handed to the kernel without a promise.
      socket.send(data, pair.remoteAddr[1], pair.remoteAddr[0]);
      pair.packetsSent++;
      pair.bytesSent += data.length;
    } else {
      connection.send(data).catch(() => undefined);
    }
  }

  // RFC 7714 §8.1: 00 00 ‖ SSRC ‖ ROC ‖ SEQ, XOR the session salt.
  #gcmIv(ctx: WeriftSrtpContext, ssrc: number, roc: number, seq: number): Buffer {
    const iv = Buffer.allocUnsafe(12);
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc >>> 0, 2);
    iv.writeUInt32BE(roc >>> 0, 6);
    iv.writeUInt16BE(seq, 10);
    const salt = ctx.srtpSessionSalt;
    for (let i = 0; i < 12; i++) iv[i] = (iv[i] as number) ^ (salt[i] as number);
    return iv;
  }

  // RFC 3711 §4.1.1: (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16).
  #ctrIv(ctx: WeriftSrtpContext, ssrc: number, roc: number, seq: number): Buffer {
    const iv = this.#iv;
    iv.fill(0);
    iv.writeUInt32BE(ssrc >>> 0, 4);
    iv.writeUInt32BE(roc >>> 0, 8);
    iv.writeUInt16BE(seq, 12);
    const salt = ctx.srtpSessionSalt;
    for (let i = 0; i < 14; i++) iv[i] = (iv[i] as number) ^ (salt[i] as number);
    return iv;
  }
}
