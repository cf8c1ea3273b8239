/** One packet's report in a transport-cc feedback: 0 not received, 1 small delta, 2 large or negative delta. */
export interface TransportCcPacketStatus {
  sequence: number;
  symbol: 0 | 1 | 2 | 3;
  /** Arrival delta from the previous received packet (or the reference time), microseconds; received only. */
  deltaUs?: number;
}

export type TransportCcChunkKind = 'run-length' | 'one-bit vector' | 'two-bit vector';

/**
 * A transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), parsed
 * whole: run-length chunks and both kinds of status-vector chunk, then the receive deltas. werift's own parser
 * skips status-vector chunks and an SFU may send any kind, so the tests read the bytes with this instead.
 */
export class TransportCcFeedback {
  constructor(
    readonly senderSsrc: number,
    readonly mediaSsrc: number,
    readonly baseSequence: number,
    readonly referenceTime: number,
    readonly feedbackCount: number,
    readonly chunkKinds: TransportCcChunkKind[],
    readonly packets: TransportCcPacketStatus[],
  ) {}

  get received(): TransportCcPacketStatus[] {
    return this.packets.filter((p) => p.symbol === 1 || p.symbol === 2);
  }

  /** Every transport-cc feedback (RTPFB, FMT 15) in a decrypted compound RTCP packet; other packets are skipped. */
  static parseCompound(compound: Buffer): TransportCcFeedback[] {
    const found: TransportCcFeedback[] = [];
    let offset = 0;
    while (offset + 4 <= compound.length) {
      const first = compound[offset] as number;
      const length = (compound.readUInt16BE(offset + 2) + 1) * 4;
      if (first >> 6 !== 2 || offset + length > compound.length) {
        throw new Error(`malformed RTCP at byte ${offset}`);
      }
      if (compound[offset + 1] === 205 && (first & 0x1f) === 15) {
        found.push(TransportCcFeedback.parse(compound.subarray(offset, offset + length)));
      }
      offset += length;
    }
    return found;
  }

  /** One transport-cc feedback packet, header included (padding, if flagged, is ignored). */
  static parse(packet: Buffer): TransportCcFeedback {
    if (packet.length < 20) throw new Error('transport-cc feedback shorter than its fixed part');
    const end =
      (packet[0] as number) & 0x20 ? packet.length - (packet[packet.length - 1] as number) : packet.length;
    const need = (offset: number, bytes: number) => {
      if (offset + bytes > end) throw new Error(`transport-cc feedback truncated at byte ${offset}`);
    };
    const baseSequence = packet.readUInt16BE(12);
    const statusCount = packet.readUInt16BE(14);
    const referenceTime = packet.readIntBE(16, 3);
    const feedbackCount = packet[19] as number;
    const symbols: (0 | 1 | 2 | 3)[] = [];
    const chunkKinds: TransportCcChunkKind[] = [];
    let offset = 20;
    while (symbols.length < statusCount) {
      need(offset, 2);
      const chunk = packet.readUInt16BE(offset);
      offset += 2;
      const left = statusCount - symbols.length;
      if ((chunk & 0x8000) === 0) {
        chunkKinds.push('run-length');
        const symbol = ((chunk >> 13) & 0x3) as 0 | 1 | 2 | 3;
        const run = chunk & 0x1fff;
        for (let i = 0; i < Math.min(run, left); i++) symbols.push(symbol);
      } else if ((chunk & 0x4000) === 0) {
        chunkKinds.push('one-bit vector');
        for (let i = 0; i < Math.min(14, left); i++) symbols.push(((chunk >> (13 - i)) & 0x1) as 0 | 1);
      } else {
        chunkKinds.push('two-bit vector');
        for (let i = 0; i < Math.min(7, left); i++) {
          symbols.push(((chunk >> (12 - 2 * i)) & 0x3) as 0 | 1 | 2 | 3);
        }
      }
    }
    const packets: TransportCcPacketStatus[] = symbols.map((symbol, i) => {
      const sequence = (baseSequence + i) & 0xffff;
      if (symbol === 1) {
        need(offset, 1);
        return { sequence, symbol, deltaUs: (packet[offset++] as number) * 250 };
      }
      if (symbol === 2) {
        need(offset, 2);
        const deltaUs = packet.readInt16BE(offset) * 250;
        offset += 2;
        return { sequence, symbol, deltaUs };
      }
      return { sequence, symbol };
    });
    return new TransportCcFeedback(
      packet.readUInt32BE(4),
      packet.readUInt32BE(8),
      baseSequence,
      referenceTime,
      feedbackCount,
      chunkKinds,
      packets,
    );
  }
}
