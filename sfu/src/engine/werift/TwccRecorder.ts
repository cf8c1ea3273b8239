import { seqDiff } from './rtpUtils.js';

const MAX_STATUS_PER_FEEDBACK = 1000;

/**
 * Receive side of transport-wide congestion control: remembers when each transport-wide sequence
 * number arrived and builds the RTCP feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1)
 * from which Chromium's send-side estimator ramps the producer up to HD.
 */
export class TwccRecorder {
  #arrivals = new Map<number, number>();
  #lastExtended: number | undefined;
  #nextBase: number | undefined;
  #fbCount = 0;

  /** `seq` is the 16-bit transport sequence number, `arrivalUs` a monotonic time in microseconds. */
  record(seq: number, arrivalUs: number): void {
    const extended =
      this.#lastExtended === undefined ? seq : this.#lastExtended + seqDiff(seq, this.#lastExtended & 0xffff);
    if (this.#lastExtended === undefined || extended > this.#lastExtended) this.#lastExtended = extended;
    if (this.#nextBase !== undefined && extended < this.#nextBase) return;
    this.#arrivals.set(extended, arrivalUs);
  }

  get pending(): number {
    return this.#arrivals.size;
  }

  /** A serialized feedback packet covering everything recorded since the last one, or undefined. */
  buildFeedback(senderSsrc: number, mediaSsrc: number): Buffer | undefined {
    if (this.#arrivals.size === 0) return undefined;
    const seqs = [...this.#arrivals.keys()].sort((a, b) => a - b);
    const first = seqs[0] as number;
    const last = seqs[seqs.length - 1] as number;
    let base =
      this.#nextBase !== undefined && last - this.#nextBase < MAX_STATUS_PER_FEEDBACK
        ? this.#nextBase
        : first;
    if (last - base + 1 > MAX_STATUS_PER_FEEDBACK) base = last - MAX_STATUS_PER_FEEDBACK + 1;
    const count = last - base + 1;
    const firstArrival = this.#arrivals.get(seqs.find((s) => s >= base) as number) as number;
    const referenceTime = Math.floor(firstArrival / 64_000);
    let previous = referenceTime * 64_000;
    const symbols: number[] = [];
    const deltas: number[] = [];
    for (let seq = base; seq <= last; seq++) {
      const arrival = this.#arrivals.get(seq);
      if (arrival === undefined) {
        symbols.push(0);
        continue;
      }
      let delta = Math.round((arrival - previous) / 250);
      if (delta < -32768) delta = -32768;
      if (delta > 32767) delta = 32767;
      previous += delta * 250;
      symbols.push(delta >= 0 && delta <= 255 ? 1 : 2);
      deltas.push(delta);
    }
    // Two-bit status vector chunks: 7 symbols each.
    const chunkCount = Math.ceil(symbols.length / 7);
    const deltaBytes = symbols.reduce((n, s) => n + (s === 1 ? 1 : s === 2 ? 2 : 0), 0);
    const unpadded = 20 + chunkCount * 2 + deltaBytes;
    const padding = (4 - (unpadded % 4)) % 4;
    const total = unpadded + padding;
    const buf = Buffer.alloc(total);
    buf[0] = 0x80 | (padding > 0 ? 0x20 : 0) | 15;
    buf[1] = 205;
    buf.writeUInt16BE(total / 4 - 1, 2);
    buf.writeUInt32BE(senderSsrc >>> 0, 4);
    buf.writeUInt32BE(mediaSsrc >>> 0, 8);
    buf.writeUInt16BE(base & 0xffff, 12);
    buf.writeUInt16BE(count, 14);
    buf.writeUIntBE(referenceTime & 0xffffff, 16, 3);
    buf[19] = this.#fbCount & 0xff;
    let offset = 20;
    for (let c = 0; c < chunkCount; c++) {
      let chunk = 0xc000;
      for (let i = 0; i < 7; i++) chunk |= (symbols[c * 7 + i] ?? 0) << (12 - i * 2);
      buf.writeUInt16BE(chunk, offset);
      offset += 2;
    }
    let d = 0;
    for (const symbol of symbols) {
      if (symbol === 1) buf[offset++] = deltas[d++] as number;
      else if (symbol === 2) {
        buf.writeInt16BE(deltas[d++] as number, offset);
        offset += 2;
      }
    }
    if (padding > 0) buf[total - 1] = padding;
    this.#fbCount++;
    this.#nextBase = last + 1;
    this.#arrivals.clear();
    return buf;
  }
}
