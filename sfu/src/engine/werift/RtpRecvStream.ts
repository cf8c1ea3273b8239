import { RtcpReceiverInfo } from 'werift';
import type { RtpPacketView } from './rtpTypes.js';
import { ntpMiddle32, seqDiff } from './rtpUtils.js';

const MAX_NACK_TRIES = 4;
const NACK_RETRY_MS = 60;

/**
 * One incoming RTP stream of a producer (one simulcast encoding): reception statistics for receiver
 * reports, the packet buffer consumers' NACKs are answered from, and the list of losses to NACK upstream.
 */
export class RtpRecvStream {
  readonly ssrc: number;
  rtxSsrc: number | undefined;
  readonly rid: string | undefined;
  readonly clockRate: number;
  readonly #bufferSize: number;
  readonly #packets: (RtpPacketView | undefined)[];
  #started = false;
  #maxSeq = 0;
  #cycles = 0;
  #baseSeq = 0;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #jitter = 0;
  #lastTransit: number | undefined;
  #bytesWindow = 0;
  #lastRateMs = 0;
  #firstPacketMs = 0;
  /** Losses waiting for a retransmission: sequence number → [tries, last NACK time]. */
  readonly #missing = new Map<number, [number, number]>();
  packetCount = 0;
  byteCount = 0;
  bitrate = 0;
  fractionLost = 0;
  lastPacketMs = 0;
  nackCount = 0;
  pliCount = 0;
  firCount = 0;
  score = 10;
  lastKeyFrameRequestMs = 0;
  keyFrameRequestPending = false;
  /** The producer's last sender report: NTP, RTP timestamp and when it arrived here. */
  lastSr: { ntp: bigint; rtpTimestamp: number; arrivalMs: number } | undefined;

  /**
   * `bufferSize` packets are kept for answering NACKs; each one holds about 1.2 kB, so the buffer is the
   * bulk of the engine's memory and GC work. 512 covers 2 s of HD video.
   */
  constructor(params: {
    ssrc: number;
    rtxSsrc?: number;
    rid?: string;
    clockRate: number;
    bufferSize?: number;
  }) {
    this.#bufferSize = params.bufferSize ?? 512;
    this.#packets = new Array(this.#bufferSize);
    this.ssrc = params.ssrc;
    this.rtxSsrc = params.rtxSsrc;
    this.rid = params.rid;
    this.clockRate = params.clockRate;
  }

  /** Records a packet; false when it is a duplicate or too old to be useful. */
  receive(packet: RtpPacketView, nowMs: number, retransmitted: boolean): boolean {
    const seq = packet.header.sequenceNumber;
    if (!this.#started) {
      this.#started = true;
      this.#baseSeq = seq;
      this.#maxSeq = seq;
      this.#lastRateMs = nowMs;
      this.#firstPacketMs = nowMs;
    } else {
      const diff = seqDiff(seq, this.#maxSeq);
      if (diff > 0) {
        if (seq < this.#maxSeq) this.#cycles += 0x10000;
        if (diff > 1 && diff < 200) {
          for (let s = this.#maxSeq + 1; s !== this.#maxSeq + diff; s++)
            this.#missing.set(s & 0xffff, [0, 0]);
        }
        this.#maxSeq = seq;
      } else {
        if (diff < -this.#bufferSize + 1) return false;
        const slot = this.#packets[seq % this.#bufferSize];
        if (slot && slot.header.sequenceNumber === seq) return false;
        this.#missing.delete(seq);
      }
    }
    this.#packets[seq % this.#bufferSize] = packet;
    this.#received++;
    this.packetCount++;
    this.byteCount += packet.payload.length;
    this.#bytesWindow += packet.payload.length + 12;
    this.lastPacketMs = nowMs;
    if (!retransmitted) {
      const arrival = (nowMs * this.clockRate) / 1000;
      const transit = arrival - packet.header.timestamp;
      if (this.#lastTransit !== undefined) {
        let d = Math.abs(transit - this.#lastTransit);
        if (d > 0x7fffffff) d = 0;
        this.#jitter += (d - this.#jitter) / 16;
      }
      this.#lastTransit = transit;
    }
    return true;
  }

  /** The buffered packet with this sequence number, if still held. */
  get(seq: number): RtpPacketView | undefined {
    const packet = this.#packets[seq % this.#bufferSize];
    return packet && packet.header.sequenceNumber === seq ? packet : undefined;
  }

  /** Sequence numbers to NACK now; each loss is asked for a few times, then given up. */
  takeNacks(nowMs: number): number[] {
    const out: number[] = [];
    for (const [seq, entry] of this.#missing) {
      if (seqDiff(this.#maxSeq, seq) > this.#bufferSize / 2 || entry[0] >= MAX_NACK_TRIES) {
        this.#missing.delete(seq);
        continue;
      }
      if (nowMs - entry[1] < NACK_RETRY_MS) continue;
      entry[0]++;
      entry[1] = nowMs;
      out.push(seq);
    }
    return out;
  }

  /** Updates bitrate; called about once a second. */
  updateRate(nowMs: number): void {
    const elapsed = nowMs - this.#lastRateMs;
    if (elapsed < 200) return;
    this.bitrate = Math.round((this.#bytesWindow * 8 * 1000) / elapsed);
    this.#bytesWindow = 0;
    this.#lastRateMs = nowMs;
    if (nowMs - this.lastPacketMs > 2000) this.bitrate = 0;
  }

  /** The measured bitrate, or before the first measurement, an average since the first packet. */
  estimatedBitrate(nowMs: number): number {
    if (this.bitrate > 0 || this.packetCount === 0) return this.bitrate;
    return Math.round((this.byteCount * 8 * 1000) / Math.max(100, nowMs - this.#firstPacketMs));
  }

  get active(): boolean {
    return this.bitrate > 0;
  }

  /** A report block for this stream (RFC 3550 §6.4.1); also refreshes the score. */
  receiverReport(nowMs: number): RtcpReceiverInfo | undefined {
    if (!this.#started) return undefined;
    const extendedMax = this.#cycles + this.#maxSeq;
    const expected = extendedMax - this.#baseSeq + 1;
    const lost = Math.max(0, expected - this.#received);
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    this.fractionLost = expectedInterval > 0 && lostInterval > 0 ? lostInterval / expectedInterval : 0;
    this.score = Math.max(0, Math.min(10, Math.round(10 - this.fractionLost * 20)));
    const lsr = this.lastSr ? ntpMiddle32(this.lastSr.ntp) : 0;
    const dlsr = this.lastSr ? Math.floor(((nowMs - this.lastSr.arrivalMs) / 1000) * 65536) : 0;
    return new RtcpReceiverInfo({
      ssrc: this.ssrc,
      fractionLost: Math.min(255, Math.floor(this.fractionLost * 256)),
      packetsLost: Math.min(lost, 0x7fffff),
      highestSequence: extendedMax >>> 0,
      jitter: Math.floor(this.#jitter) >>> 0,
      lsr,
      dlsr,
    });
  }

  get packetsLost(): number {
    if (!this.#started) return 0;
    return Math.max(0, this.#cycles + this.#maxSeq - this.#baseSeq + 1 - this.#received);
  }

  get jitter(): number {
    return this.#jitter;
  }

  clear(): void {
    this.#packets.fill(undefined);
    this.#missing.clear();
  }
}
