import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger, ReadinessCheck } from '@telemed/service-kit';
import type { ServerOptions } from 'socket.io';
import { RedisRoomStateStore } from './RedisRoomStateStore.js';
import { connectRedis, type SignalingRedisClient } from './signalingRedisClient.js';

/**
 * What several signaling nodes share through one Redis (REDIS_URL): the Socket.IO adapter, which carries each
 * node's broadcasts and channel changes to the others over pub/sub, and the rooms' state with its locks.
 * Three connections: a subscribed connection can do nothing else.
 */
export class RedisScaleOut {
  readonly adapter: ServerOptions['adapter'];
  readonly roomStore: RedisRoomStateStore;
  readonly #clients: SignalingRedisClient[];

  private constructor(
    publisher: SignalingRedisClient,
    subscriber: SignalingRedisClient,
    state: SignalingRedisClient,
  ) {
    this.adapter = createAdapter(publisher, subscriber);
    this.roomStore = new RedisRoomStateStore(state);
    this.#clients = [publisher, subscriber, state];
  }

  static async connect(url: string, logger: Logger): Promise<RedisScaleOut> {
    const clients = await Promise.all(
      ['signaling-pub', 'signaling-sub', 'signaling-state'].map((name) => connectRedis(url, logger, name)),
    );
    const [publisher, subscriber, state] = clients as [
      SignalingRedisClient,
      SignalingRedisClient,
      SignalingRedisClient,
    ];
    return new RedisScaleOut(publisher, subscriber, state);
  }

  /** For `/readyz`: a node that cannot reach Redis cannot serve rooms. */
  readonly readiness: ReadinessCheck = async () => {
    const [, , state] = this.#clients;
    if (!state?.isReady) throw new Error('redis is not connected');
    await state.ping();
    return 'redis';
  };

  async close(): Promise<void> {
    await Promise.allSettled(this.#clients.map((client) => client.close()));
  }
}
