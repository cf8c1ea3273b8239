import { createLogger } from '@telemed/service-kit';
import { AppError, createSfuControlClient, type SfuLoad } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { leastLoaded, SfuNodes } from './SfuNodes.js';

function load(overrides: Partial<SfuLoad> = {}): SfuLoad {
  return {
    engine: 'werift',
    rooms: 0,
    transports: 0,
    producers: 0,
    consumers: 0,
    bitrate: { inBps: 0, outBps: 0 },
    cpu: 0,
    cores: 2,
    rssBytes: 100_000_000,
    ...overrides,
  };
}

describe('leastLoaded', () => {
  it('picks the node with the fewest transports, producers and consumers', () => {
    expect(
      leastLoaded([
        { url: 'a', load: load({ rooms: 1, transports: 4, producers: 2, consumers: 2 }) },
        { url: 'b', load: load({ rooms: 3, transports: 2, producers: 1, consumers: 1 }) },
        { url: 'c', load: load({ rooms: 0, transports: 5, producers: 0, consumers: 0 }) },
      ]),
    ).toBe('b');
  });

  it('breaks ties on traffic, then on CPU per core', () => {
    const same = { transports: 2, producers: 1, consumers: 1 };
    expect(
      leastLoaded([
        { url: 'busy', load: load({ ...same, bitrate: { inBps: 2_000_000, outBps: 2_000_000 } }) },
        { url: 'quiet', load: load({ ...same, bitrate: { inBps: 1_000_000, outBps: 1_000_000 } }) },
      ]),
    ).toBe('quiet');
    expect(
      leastLoaded([
        { url: 'hot', load: load({ ...same, cpu: 1.5, cores: 2 }) },
        { url: 'cool', load: load({ ...same, cpu: 1.5, cores: 8 }) },
      ]),
    ).toBe('cool');
  });

  it('never picks a node that did not answer, and has none when no node answered', () => {
    expect(
      leastLoaded([
        { url: 'down', load: undefined },
        { url: 'up', load: load({ transports: 100 }) },
      ]),
    ).toBe('up');
    expect(leastLoaded([{ url: 'down', load: undefined }])).toBeUndefined();
    expect(leastLoaded([])).toBeUndefined();
  });
});

describe('SfuNodes', () => {
  it('refuses with SERVICE_UNAVAILABLE when no node answers getLoad', async () => {
    // Port 9 (discard) is closed on test machines: a real connection refusal, not a stand-in.
    const nodes = new SfuNodes(
      ['http://127.0.0.1:9', 'http://127.0.0.1:9/second'].map((url) => ({
        url,
        call: createSfuControlClient({ url, secret: 'x'.repeat(32), timeoutMs: 2000 }),
      })),
      createLogger('sfu-nodes-test', 'silent'),
    );
    const refusal = await nodes.choose().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('SERVICE_UNAVAILABLE');
  });
});
