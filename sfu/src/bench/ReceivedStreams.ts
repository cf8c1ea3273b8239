import { PROBATOR_SSRC } from '../engine/werift/BandwidthProber.js';
import { seqDiff } from '../engine/werift/rtpUtils.js';

/** Reception of one forwarded stream in the window, from its sequence numbers (RFC 3550 §A.3 style). */
interface StreamCount {
  first: number;
  highest: number;
  received: number;
}

/**
 * What the load generator's receivers got in a measurement window, from the clear-text SRTP headers. Streams are
 * keyed by connection and SSRC: every connection's bandwidth probes share one SSRC (1234, werift's prober and
 * mediasoup's probator alike), so keyed by SSRC alone they merged into one stream with false gaps. Probe padding is
 * counted apart and never as forwarded media.
 */
export class ReceivedStreams {
  readonly #media = new Map<string, StreamCount>();
  readonly #paddingSsrc: number;
  paddingPackets = 0;
  paddingBytes = 0;

  constructor(paddingSsrc = PROBATOR_SSRC) {
    this.#paddingSsrc = paddingSsrc;
  }

  /** One SRTP packet as it arrived on `connection` (before decryption: the RTP header is clear text). */
  record(connection: number, packet: Buffer): void {
    const ssrc = packet.readUInt32BE(8);
    if (ssrc === this.#paddingSsrc) {
      this.paddingPackets++;
      this.paddingBytes += packet.length;
      return;
    }
    const seq = packet.readUInt16BE(2);
    const key = `${connection}:${ssrc}`;
    const count = this.#media.get(key);
    if (!count) this.#media.set(key, { first: seq, highest: seq, received: 1 });
    else {
      count.received++;
      if (seqDiff(seq, count.highest) > 0) count.highest = seq;
    }
  }

  /** Media packets the streams' sequence numbers say should have arrived, and those that did. */
  get media(): { streams: number; expected: number; received: number } {
    let expected = 0;
    let received = 0;
    for (const c of this.#media.values()) {
      expected += seqDiff(c.highest, c.first) + 1;
      received += c.received;
    }
    return { streams: this.#media.size, expected, received };
  }
}
