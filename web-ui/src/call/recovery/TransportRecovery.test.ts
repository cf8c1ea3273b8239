import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MediaConnectionState, TransportRecovery } from './TransportRecovery.js';

/*
 * The recovery's rules, with the clock under the test's control. The real path (mediasoup-client transports in
 * Chromium, the SFU restarting ICE, transports made anew) is `e2e/src/recovery.browser.test.ts`.
 */

interface Harness {
  recovery: TransportRecovery;
  calls: string[];
  states: MediaConnectionState[];
  restart: { refuse: boolean };
  recreate: { fail: number };
}

function harness(): Harness {
  const calls: string[] = [];
  const states: MediaConnectionState[] = [];
  const restart = { refuse: false };
  const recreate = { fail: 0 };
  const recovery = new TransportRecovery({
    restartIce: async () => {
      calls.push('restartIce');
      if (restart.refuse) throw new Error('refused');
    },
    recreate: async () => {
      calls.push('recreate');
      if (recreate.fail > 0) {
        recreate.fail--;
        throw new Error('no way through');
      }
    },
    onState: (state) => states.push(state),
    disconnectedGraceMs: 1_000,
    restartBoundMs: 4_000,
    retryMs: 2_000,
  });
  return { recovery, calls, states, restart, recreate };
}

function connected(h: Harness): void {
  h.recovery.watch('send');
  h.recovery.watch('recv');
  h.recovery.transportState('send', 'connected');
  h.recovery.transportState('recv', 'connected');
}

describe('TransportRecovery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is connected once every transport is', () => {
    const h = harness();
    h.recovery.watch('send');
    h.recovery.watch('recv');
    h.recovery.transportState('send', 'connected');
    expect(h.recovery.state).toBe('connecting');
    h.recovery.transportState('recv', 'connected');
    expect(h.states).toEqual(['connected']);
  });

  it('a disconnected that heals within the grace period restarts nothing', async () => {
    const h = harness();
    connected(h);
    h.recovery.transportState('recv', 'disconnected');
    await vi.advanceTimersByTimeAsync(600);
    h.recovery.transportState('recv', 'connected');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(h.calls).toEqual([]);
    expect(h.states).toEqual(['connected']);
  });

  it('a disconnected lasting past the grace period restarts ICE; connected again ends the recovery', async () => {
    const h = harness();
    connected(h);
    h.recovery.transportState('recv', 'disconnected');
    await vi.advanceTimersByTimeAsync(999);
    expect(h.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(h.calls).toEqual(['restartIce']);
    expect(h.recovery.state).toBe('reconnecting');
    h.recovery.transportState('recv', 'connected');
    expect(h.recovery.state).toBe('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toEqual(['restartIce']);
    expect(h.states).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('failed restarts ICE at once, and only one recovery runs at a time', async () => {
    const h = harness();
    connected(h);
    h.recovery.transportState('send', 'failed');
    h.recovery.transportState('recv', 'failed');
    h.recovery.networkChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual(['restartIce']);
  });

  it('a network change restarts ICE even while ICE still says connected; still connected after it, done', async () => {
    const h = harness();
    connected(h);
    h.recovery.networkChanged();
    expect(h.recovery.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual(['restartIce']);
    expect(h.recovery.state).toBe('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toEqual(['restartIce']);
  });

  it('a media stall restarts ICE while ICE still says connected, once, and not before media first flowed', async () => {
    const h = harness();
    h.recovery.watch('send');
    h.recovery.mediaStalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual([]);
    h.recovery.watch('recv');
    h.recovery.transportState('send', 'connected');
    h.recovery.transportState('recv', 'connected');
    h.recovery.transportState('recv', 'disconnected');
    h.recovery.mediaStalled();
    // The disconnected's grace ends during the restart under way: no second one.
    h.recovery.mediaStalled();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(h.calls).toEqual(['restartIce']);
    h.recovery.transportState('recv', 'connected');
    expect(h.recovery.state).toBe('connected');
  });

  it('a network change before media ever flowed is left to the first connection', async () => {
    const h = harness();
    h.recovery.watch('send');
    h.recovery.networkChanged();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toEqual([]);
  });

  it('falls back to new transports when media does not flow within the bound after the restart', async () => {
    const h = harness();
    connected(h);
    h.recovery.transportState('send', 'failed');
    await vi.advanceTimersByTimeAsync(3_999);
    expect(h.calls).toEqual(['restartIce']);
    await vi.advanceTimersByTimeAsync(2);
    expect(h.calls).toEqual(['restartIce', 'recreate']);
    // The new transports come up.
    h.recovery.forgetTransports();
    connected(h);
    expect(h.recovery.state).toBe('connected');
  });

  it('falls back at once when the restart is refused', async () => {
    const h = harness();
    connected(h);
    h.restart.refuse = true;
    h.recovery.networkChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual(['restartIce', 'recreate']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toEqual(['restartIce', 'recreate']);
  });

  it('a failed fallback is tried again later, and a late connected of a replaced transport is ignored', async () => {
    const h = harness();
    connected(h);
    h.restart.refuse = true;
    h.recreate.fail = 1;
    h.recovery.transportState('recv', 'failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual(['restartIce', 'recreate']);
    h.recovery.forgetTransports();
    h.recovery.transportState('recv', 'connected');
    expect(h.recovery.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(2_001);
    expect(h.calls).toEqual(['restartIce', 'recreate', 'restartIce', 'recreate']);
  });

  it('recreateNow goes straight to new transports, and once more when a fallback was under way', async () => {
    const h = harness();
    connected(h);
    h.recovery.recreateNow();
    expect(h.calls).toEqual(['recreate']);
    expect(h.recovery.state).toBe('reconnecting');
    h.recovery.recreateNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual(['recreate', 'recreate']);
    h.recovery.forgetTransports();
    connected(h);
    expect(h.recovery.state).toBe('connected');
  });

  it('does nothing once closed', async () => {
    const h = harness();
    connected(h);
    h.recovery.transportState('recv', 'disconnected');
    h.recovery.close();
    await vi.advanceTimersByTimeAsync(10_000);
    h.recovery.networkChanged();
    expect(h.calls).toEqual([]);
  });
});
