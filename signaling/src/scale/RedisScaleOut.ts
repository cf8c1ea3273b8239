import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger, ReadinessCheck } from '@telemed/service-kit';
import type { ServerOptions } from 'socket.io';
import { RedisRoomStateStore } from './RedisRoomStateStore.js';
import { RedisSfuPlacementStore } from './RedisSfuPlacementStore.js';
import { connectRedis, type SignalingRedisClient } from './signalingRedisClient.js';

/**
 * What several signaling nodes share through one Redis (REDIS_URL): the Socket.IO adapter, which carries each
 * node's broadcasts and channel changes to the others over pub/sub, and the rooms' state with its locks.
 * Three connections: a subscribed connection can do nothing else.
 */
export class RedisScaleOut {
  readonly adapter: ServerOptions['adapter'];
  readonly roomStore: RedisRoomStateStore;
  /** Which SFU node each room is on: every signaling node must use the room's one. */
  readonly sfuPlacements: RedisSfuPlacementStore;
  readonly #state: SignalingRedisClient;
  readonly #clients: SignalingRedisClient[];

  private constructor(
    clients: [SignalingRedisClient, SignalingRedisClient, SignalingRedisClient],
    logger: Logger,
  ) {
    const [publisher, subscriber, state] = clients;
    this.adapter = createAdapter(publisher, subscriber);
    this.roomStore = new RedisRoomStateStore(state, { logger });
    this.sfuPlacements = new RedisSfuPlacementStore(state);
    this.#state = state;
    this.#clients = clients;
  }

  static async connect(url: string, logger: Logger): Promise<RedisScaleOut> {
    const clients = await Promise.all([
      connectRedis(url, logger, 'signaling-pub'),
      connectRedis(url, logger, 'signaling-sub'),
      connectRedis(url, logger, 'signaling-state', { failFastWhileDisconnected: true }),
    ]);
    return new RedisScaleOut(clients, logger);
  }

  /** For `/readyz`: a node that cannot reach Redis cannot serve rooms. */
  readonly readiness: ReadinessCheck = async () => {
    if (!this.#state.isReady) throw new Error('redis is not connected');
    await this.#state.ping();
    return 'redis';
  };

  async close(): Promise<void> {
    await Promise.allSettled(this.#clients.map((client) => client.close()));
  }
}
