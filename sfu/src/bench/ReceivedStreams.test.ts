import { describe, expect, it } from 'vitest';
import { ReceivedStreams } from './ReceivedStreams.js';

function rtp(ssrc: number, seq: number, bytes = 100): Buffer {
  const packet = Buffer.alloc(bytes);
  packet[0] = 0x80;
  packet[1] = 96;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

describe('ReceivedStreams', () => {
  it('keeps two connections with the same SSRC apart, so neither shows false losses', () => {
    const streams = new ReceivedStreams(1234);
    // Two receivers each get a clean stream with SSRC 5000 but unrelated sequence numbers.
    for (let i = 0; i < 50; i++) {
      streams.record(1, rtp(5000, 100 + i));
      streams.record(2, rtp(5000, 40_000 + i));
    }
    expect(streams.media).toEqual({ streams: 2, expected: 100, received: 100 });
  });

  it('counts probe padding apart, never as media, whatever the connection', () => {
    const streams = new ReceivedStreams(1234);
    for (let i = 0; i < 10; i++) streams.record(1, rtp(7, i));
    for (let i = 0; i < 5; i++) {
      streams.record(1, rtp(1234, 10 + i, 300));
      streams.record(2, rtp(1234, 60_000 + i, 300));
    }
    expect(streams.media).toEqual({ streams: 1, expected: 10, received: 10 });
    expect([streams.paddingPackets, streams.paddingBytes]).toEqual([10, 3000]);
  });

  it('still sees a real gap, across the sequence number wrap', () => {
    const streams = new ReceivedStreams(1234);
    for (const seq of [65533, 65534, 1, 2]) streams.record(3, rtp(9, seq));
    expect(streams.media).toEqual({ streams: 1, expected: 6, received: 4 });
  });
});
