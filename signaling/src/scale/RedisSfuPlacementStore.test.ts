import { randomUUID } from 'node:crypto';
import {
  createLogger,
  ensureRedisServerInstalled,
  type RunningRedisServer,
  startRedisServer,
} from '@telemed/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSfuPlacementStore } from './RedisSfuPlacementStore.js';
import { connectRedis, type SignalingRedisClient } from './signalingRedisClient.js';

const installed = ensureRedisServerInstalled();
if (!installed.ok) console.warn(`Redis SFU placement tests not run: ${installed.reason}`);

/** Two stores on two connections stand for two signaling nodes placing the same room. */
describe.runIf(installed.ok)('RedisSfuPlacementStore on a real redis-server', () => {
  let redis: RunningRedisServer;
  const clients: SignalingRedisClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await redis?.stop();
  });

  it('puts a room on one SFU node whichever signaling node claims first, until the room is released', async () => {
    const logger = createLogger('placement-test', 'silent');
    const keyPrefix = `test:${randomUUID()}:`;
    const [a, b] = await Promise.all([
      connectRedis(redis.url, logger, 'a'),
      connectRedis(redis.url, logger, 'b'),
    ]);
    clients.push(a, b);
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
