import { describe, expect, it } from 'vitest';
import { TransportCcFeedback } from './TransportCcFeedback.js';

/** Builds a transport-cc feedback by hand: the fixed part, the given chunks, the given delta bytes, padded to 32 bits. */
function feedback(options: { base: number; count: number; chunks: number[]; deltas: number[] }): Buffer {
  const body = Buffer.alloc(8 + options.chunks.length * 2 + options.deltas.length);
  body.writeUInt16BE(options.base, 0);
  body.writeUInt16BE(options.count, 2);
  body.writeIntBE(-2, 4, 3); // reference time, signed 24 bits
  body.writeUInt8(9, 7);
  for (const [i, c] of options.chunks.entries()) body.writeUInt16BE(c, 8 + i * 2);
  Buffer.from(options.deltas).copy(body, 8 + options.chunks.length * 2);
  const fci = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const header = Buffer.alloc(12);
  header.writeUInt8(0x80 | 15, 0);
  header.writeUInt8(205, 1);
  header.writeUInt16BE((12 + fci.length) / 4 - 1, 2);
  header.writeUInt32BE(0x11111111, 4);
  header.writeUInt32BE(0x22222222, 8);
  return Buffer.concat([header, fci]);
}

describe('TransportCcFeedback', () => {
  it('reads a run-length chunk: 5 packets received with small deltas', () => {
    // 0 | 01 (small delta) | run 5
    const fb = TransportCcFeedback.parse(
      feedback({ base: 65534, count: 5, chunks: [(1 << 13) | 5], deltas: [4, 8, 0, 1, 2] }),
    );
    expect(fb.chunkKinds).toEqual(['run-length']);
    expect(fb.packets.map((p) => p.sequence)).toEqual([65534, 65535, 0, 1, 2]);
    expect(fb.received.map((p) => p.deltaUs)).toEqual([1000, 2000, 0, 250, 500]);
    expect([fb.senderSsrc, fb.mediaSsrc, fb.referenceTime, fb.feedbackCount]).toEqual([
      0x11111111, 0x22222222, -2, 9,
    ]);
  });

  it('reads a one-bit status-vector chunk, cut to the status count', () => {
    // 1 | 0 | 14 symbols: 1 0 1 1 0 … of which only 4 count.
    const chunk = 0x8000 | (0b10110000000000 & 0x3fff);
    const fb = TransportCcFeedback.parse(
      feedback({ base: 100, count: 4, chunks: [chunk], deltas: [1, 2, 3] }),
    );
    expect(fb.chunkKinds).toEqual(['one-bit vector']);
    expect(fb.packets.map((p) => p.symbol)).toEqual([1, 0, 1, 1]);
    expect(fb.received.map((p) => [p.sequence, p.deltaUs])).toEqual([
      [100, 250],
      [102, 500],
      [103, 750],
    ]);
  });

  it('reads a two-bit status-vector chunk with a large (negative) delta, then a run-length chunk of losses', () => {
    // 1 | 1 | symbols 1, 2, 0 then padding symbols; run-length of 3 not-received.
    const chunk = 0xc000 | (0b01 << 12) | (0b10 << 10);
    const fb = TransportCcFeedback.parse(
      feedback({ base: 7, count: 10, chunks: [chunk, 3], deltas: [8, 0xff, 0xfc] }),
    );
    expect(fb.chunkKinds).toEqual(['two-bit vector', 'run-length']);
    expect(fb.packets.map((p) => p.symbol)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(fb.received.map((p) => p.deltaUs)).toEqual([2000, -1000]);
  });

  it('finds the feedback in a compound packet and refuses a truncated one', () => {
    const rr = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
    const fb = feedback({ base: 1, count: 2, chunks: [(1 << 13) | 2], deltas: [1, 1] });
    expect(TransportCcFeedback.parseCompound(Buffer.concat([rr, fb])).map((f) => f.received.length)).toEqual([
      2,
    ]);
    const short = feedback({ base: 1, count: 20, chunks: [(1 << 13) | 20], deltas: [1, 1] });
    expect(() => TransportCcFeedback.parse(short)).toThrow(/truncated/);
  });
});
