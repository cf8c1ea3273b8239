import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BandwidthProber, PROBATOR_PAYLOAD_TYPE, PROBATOR_SSRC, type ProbeInput } from './BandwidthProber.js';
import { findExtension, parseRtp } from './rtpUtils.js';

const MID = 1;
const ABS_SEND_TIME = 3;

interface Sent {
  header: Buffer;
  payload: Buffer;
  atMs: number;
}

function prober(): { prober: BandwidthProber; sent: Sent[] } {
  const sent: Sent[] = [];
  const created = BandwidthProber.create(
    {
      sendRtp: (header, payload) =>
        sent.push({ header: Buffer.from(header), payload: Buffer.from(payload), atMs: performance.now() }),
    },
    { mid: MID, absSendTime: ABS_SEND_TIME },
  );
  if (!created) throw new Error('no prober');
  return { prober: created, sent };
}

/** Ticks every 20 ms, as the worker does, for `ms`, with the input `at` gives at each moment. */
function run(p: BandwidthProber, ms: number, at: (nowMs: number) => ProbeInput): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    vi.advanceTimersByTime(20);
    p.tick(performance.now(), at(performance.now()));
  }
}

function bits(sent: Sent[]): number {
  return sent.reduce((sum, s) => sum + (s.header.length + s.payload.length) * 8, 0);
}

const waiting: ProbeInput = { videoFlowing: true, demandBps: 400_000, estimateBps: 300_000, lossFraction: 0 };
const settled: ProbeInput = { videoFlowing: true, demandBps: 0, estimateBps: 1_000_000, lossFraction: 0 };

describe('BandwidthProber', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('needs abs-send-time, which the receiver estimates from', () => {
    expect(BandwidthProber.create({ sendRtp: () => undefined }, { mid: MID })).toBeUndefined();
  });

  it('sends padding-only packets on the probator stream that mediasoup-client sets up', () => {
    const { prober: p, sent } = prober();
    run(p, 1000, () => waiting);
    const packet = sent[0] as Sent;
    expect(packet.header[0]).toBe(0xb0); // version 2, padding, header extension
    const view = parseRtp(packet.header, packet.payload);
    expect(view?.header.ssrc).toBe(PROBATOR_SSRC);
    expect(view?.header.payloadType).toBe(PROBATOR_PAYLOAD_TYPE);
    expect(view?.payload.length).toBe(0);
    expect(packet.payload.at(-1)).toBe(packet.payload.length);
    expect(findExtension(view as never, MID)?.toString()).toBe('probator');
    expect(findExtension(view as never, ABS_SEND_TIME)?.length).toBe(3);
    const seqs = sent.map((s) => s.header.readUInt16BE(2));
    expect(seqs.slice(1).every((seq, i) => seq === (((seqs[i] as number) + 1) & 0xffff))).toBe(true);
  });

  it('sends paced trains when video starts, again each second until the receiver has an estimate, three times at most', () => {
    const { prober: p, sent } = prober();
    const noEstimate: ProbeInput = {
      videoFlowing: true,
      demandBps: 0,
      estimateBps: undefined,
      lossFraction: 0,
    };
    p.tick(performance.now(), { ...noEstimate, videoFlowing: false });
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(0);
    run(p, 900, () => noEstimate);
    expect(sent).toHaveLength(25);
    // Chromium only measures a train whose packets arrive at least 1 ms apart.
    const gaps = sent.slice(1).map((s, i) => s.atMs - (sent[i] as Sent).atMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1);
    run(p, 5000, () => noEstimate);
    expect(sent).toHaveLength(75);
  });

  it('sends no more trains once the receiver has an estimate', () => {
    const { prober: p, sent } = prober();
    run(p, 900, () => ({ videoFlowing: true, demandBps: 0, estimateBps: undefined, lossFraction: 0 }));
    expect(sent).toHaveLength(25);
    run(p, 5000, () => settled);
    expect(sent).toHaveLength(25);
  });

  it('sends no first trains when the receiver already has an estimate', () => {
    const { prober: p, sent } = prober();
    run(p, 1000, () => settled);
    expect(sent).toHaveLength(0);
  });

  it('pads at the rate a consumer lacks while the estimate holds it back, and stops when it no longer does', () => {
    const { prober: p, sent } = prober();
    run(p, 4000, () => waiting);
    // The first tick starts the probe; what follows is ~4 s at 400 kb/s.
    expect(bits(sent)).toBeGreaterThan(0.9 * 4 * 400_000);
    expect(bits(sent)).toBeLessThan(1.05 * 4 * 400_000);
    expect(p.padding).toBe(true);
    run(p, 100, () => settled);
    expect(p.padding).toBe(false);
    const before = sent.length;
    run(p, 2000, () => settled);
    expect(sent.length).toBe(before);
  });

  it('stops padding when the receiver reports loss or a falling estimate, and waits longer after each failure', () => {
    const { prober: p, sent } = prober();
    run(p, 1000, () => waiting);
    expect(p.padding).toBe(true);
    run(p, 100, () => ({ ...waiting, lossFraction: 0.1 }));
    expect(p.padding).toBe(false);
    // First wait: 5 s.
    const stoppedAt = sent.length;
    run(p, 4800, () => waiting);
    expect(sent.length).toBe(stoppedAt);
    run(p, 400, () => waiting);
    expect(p.padding).toBe(true);
    // The receiver's queue grew: its estimate fell.
    run(p, 100, () => ({ ...waiting, estimateBps: 250_000 }));
    expect(p.padding).toBe(false);
    // Second wait: 10 s.
    run(p, 9800, () => waiting);
    expect(p.padding).toBe(false);
    run(p, 400, () => waiting);
    expect(p.padding).toBe(true);
  });

  it('does not start padding while the receiver reports loss', () => {
    const { prober: p, sent } = prober();
    run(p, 2000, () => ({ ...waiting, lossFraction: 0.2 }));
    expect(sent).toHaveLength(0);
  });

  it('sends nothing after it is closed', () => {
    const { prober: p, sent } = prober();
    p.tick(performance.now(), { videoFlowing: true, demandBps: 0, estimateBps: undefined, lossFraction: 0 });
    p.close();
    run(p, 2000, () => waiting);
    expect(sent).toHaveLength(1);
  });
});
