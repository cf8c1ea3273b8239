import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redisForSuite, redisInstalled } from '../testing/redisForSuite.js';
import { RedisSfuPlacementStore } from './RedisSfuPlacementStore.js';

if (!redisInstalled.ok) console.warn(`Redis SFU placement tests not run: ${redisInstalled.reason}`);

/** Two stores on two connections stand for two signaling nodes placing the same room. */
describe.runIf(redisInstalled.ok)('RedisSfuPlacementStore on a real redis-server', () => {
  const redis = redisForSuite();

  it('puts a room on one SFU node whichever signaling node claims first, until the room is released', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const [a, b] = await Promise.all([redis.connect('a'), redis.connect('b')]);
    const nodeA = new RedisSfuPlacementStore(a, { keyPrefix });
    const nodeB = new RedisSfuPlacementStore(b, { keyPrefix });

    expect(await nodeB.get('room')).toBeUndefined();
    // At the same moment, each node having chosen another SFU node: both end up on the same one.
    const [onA, onB] = await Promise.all([
      nodeA.claim('room', 'http://sfu-1'),
      nodeB.claim('room', 'http://sfu-2'),
    ]);
    expect(onA).toBe(onB);
    expect(await nodeA.get('room')).toBe(onA);
    expect(await nodeB.claim('room', 'http://sfu-3')).toBe(onA);

    await nodeA.release('room');
    expect(await nodeB.get('room')).toBeUndefined();
    expect(await nodeB.claim('room', 'http://sfu-3')).toBe('http://sfu-3');
  });
});
