import { createLogger } from '@telemed/service-kit';
import { createSfuControlClient } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { SfuEventPump } from './SfuEventPump.js';
import type { SfuNode } from './SfuNodes.js';

describe('SfuEventPump', () => {
  it('reports its node lost once when polls are refused twice in a row (a node killed), and keeps trying', async () => {
    // Port 9 (discard) is closed on test machines: a real connection refusal, as after a kill -9.
    const url = 'http://127.0.0.1:9';
    const node: SfuNode = {
      url,
      call: createSfuControlClient({ url, secret: 'x'.repeat(32), timeoutMs: 2000 }),
    };
    const lost: string[] = [];
    const pump = new SfuEventPump(
      node,
      () => undefined,
      createLogger('sfu-event-pump-test', 'silent'),
      (gone) => lost.push(gone.url),
    );
    pump.start();
    try {
      const deadline = Date.now() + 10_000;
      while (lost.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(lost).toEqual([url]);
      // Still refused: told once, not on every poll.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(lost).toEqual([url]);
    } finally {
      pump.stop();
    }
  });
});
