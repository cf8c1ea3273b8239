import { describe, expect, it } from 'vitest';
import { type LoopbackSample, loopbackMeasurement } from './loopbackMeasurement.js';
import { type Loopback, type LoopbackOpener, NetworkTest, type NetworkTestProgress } from './NetworkTest.js';

/**
 * A loopback whose counters grow as a link of the given bitrate, loss and round trip would make them grow, by
 * the clock: what `MediasoupLoopback` reads from `getStats` in the browser (the browser test runs the real one).
 */
class SteadyLoopback implements Loopback {
  closed = false;
  readonly #startedAt = performance.now();
  constructor(readonly link: { kbps: number; loss: number; rttMs: number }) {}

  async sample(): Promise<LoopbackSample> {
    const ms = performance.now() - this.#startedAt;
    const bytes = (this.link.kbps * ms) / 8;
    const packets = Math.round(bytes / 100);
    return {
      atMs: performance.now(),
      bytesSent: bytes,
      bytesReceived: bytes * (1 - this.link.loss),
      packetsReceived: Math.round(packets * (1 - this.link.loss)),
      packetsLost: Math.round(packets * this.link.loss),
      rttMs: this.link.rttMs,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Answers each ICE policy as told: a loopback that connects, or null (it did not in time). */
class Opener implements LoopbackOpener {
  readonly asked: RTCIceTransportPolicy[] = [];
  constructor(readonly answers: Partial<Record<RTCIceTransportPolicy, SteadyLoopback>>) {}
  async open(policy: RTCIceTransportPolicy): Promise<Loopback | null> {
    this.asked.push(policy);
    return this.answers[policy] ?? null;
  }
}

const quick = { connectTimeoutMs: 50, measureMs: 300, sampleEveryMs: 50 };

describe('NetworkTest', () => {
  it('measures straight to the SFU when UDP connects, and closes the loopback', async () => {
    const loopback = new SteadyLoopback({ kbps: 800, loss: 0.02, rttMs: 40 });
    const opener = new Opener({ all: loopback });
    const progress: NetworkTestProgress[] = [];
    const measurement = await new NetworkTest(opener, quick).run((p) => progress.push(p));

    expect(opener.asked).toEqual(['all']);
    expect(measurement.reachability).toBe('udp');
    expect(measurement.uplinkKbps).toBeGreaterThan(600);
    expect(measurement.uplinkKbps).toBeLessThan(1000);
    expect(measurement.downlinkKbps).toBeLessThan(measurement.uplinkKbps ?? 0);
    expect(measurement.rttMs).toBe(40);
    expect(measurement.loss).toBeGreaterThan(0);
    expect(measurement.loss).toBeLessThan(0.05);
    expect(loopback.closed).toBe(true);
    expect(progress[0]).toEqual({ phase: 'connecting', fraction: 0 });
    expect(progress.at(-1)).toMatchObject({ phase: 'measuring', fraction: 1 });
    expect(progress.map((p) => p.fraction)).toEqual(
      [...progress.map((p) => p.fraction)].sort((a, b) => a - b),
    );
  });

  it('tries TURN only when UDP did not connect, and says the call is relayed', async () => {
    const opener = new Opener({ relay: new SteadyLoopback({ kbps: 500, loss: 0, rttMs: 90 }) });
    const progress: NetworkTestProgress[] = [];
    const measurement = await new NetworkTest(opener, quick).run((p) => progress.push(p));
    expect(opener.asked).toEqual(['all', 'relay']);
    expect(measurement.reachability).toBe('turn');
    expect(progress.map((p) => p.phase)).toContain('connecting-relay');
  });

  it('says "cannot connect" with nothing measured when neither way connects', async () => {
    const opener = new Opener({});
    expect(await new NetworkTest(opener, quick).run()).toEqual({
      reachability: 'none',
      uplinkKbps: null,
      downlinkKbps: null,
      rttMs: null,
      loss: null,
    });
    expect(opener.asked).toEqual(['all', 'relay']);
  });

  it('passes a refusal by signaling on (rate limit, no SFU) rather than calling it a network failure', async () => {
    const refusing: LoopbackOpener = { open: () => Promise.reject(new Error('RATE_LIMITED')) };
    await expect(new NetworkTest(refusing, quick).run()).rejects.toThrow('RATE_LIMITED');
  });

  it('stops measuring when cancelled, and still closes the loopback', async () => {
    const loopback = new SteadyLoopback({ kbps: 800, loss: 0, rttMs: 20 });
    const test = new NetworkTest(new Opener({ all: loopback }), { ...quick, measureMs: 60_000 });
    const running = test.run();
    setTimeout(() => test.cancel(), 200);
    await running;
    expect(loopback.closed).toBe(true);
  });
});

describe('loopbackMeasurement', () => {
  const at = (
    atMs: number,
    bytes: number,
    received = 0,
    lost = 0,
    rttMs: number | null = null,
  ): LoopbackSample => ({
    atMs,
    bytesSent: bytes,
    bytesReceived: bytes,
    packetsReceived: received,
    packetsLost: lost,
    rttMs,
  });

  it('takes the bitrate over the second half, past the sender’s ramp-up', () => {
    // 100 kbps for the first second (ramping), then 1000 kbps.
    const m = loopbackMeasurement('udp', [at(0, 0), at(1000, 12_500), at(2000, 137_500)]);
    expect(m.uplinkKbps).toBe(1000);
    expect(m.downlinkKbps).toBe(1000);
  });

  it('takes loss over the whole run and the median round trip, ignoring samples without one', () => {
    const m = loopbackMeasurement('turn', [
      at(0, 0, 0, 0, null),
      at(500, 1, 90, 10, 30),
      at(1000, 2, 180, 20, 50),
      at(1500, 3, 180, 20, 400),
    ]);
    expect(m.loss).toBeCloseTo(0.1);
    expect(m.rttMs).toBe(50);
    expect(m.reachability).toBe('turn');
  });

  it('measures nothing from fewer than two samples, and no loss when nothing arrived', () => {
    expect(loopbackMeasurement('udp', [at(0, 0)])).toMatchObject({ uplinkKbps: null, loss: null });
    expect(loopbackMeasurement('udp', [at(0, 0), at(1000, 0)])).toMatchObject({ uplinkKbps: 0, loss: null });
  });
});
