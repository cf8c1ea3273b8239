import { randomUUID } from 'node:crypto';
import {
  createLogger,
  ensureRedisServerInstalled,
  type Logger,
  type RunningRedisServer,
  startRedisServer,
} from '@telemed/service-kit';
import { afterAll, beforeAll } from 'vitest';
import { RedisRoomStateStore } from '../scale/RedisRoomStateStore.js';
import {
  type ConnectRedisOptions,
  connectRedis,
  type SignalingRedisClient,
} from '../scale/signalingRedisClient.js';

/** Whether a redis-server can run here, and why not; the suites that need one run only if it can. */
export const redisInstalled = ensureRedisServerInstalled();

/** A real redis-server for one suite, and the clients the suite opened on it. */
export interface SuiteRedis {
  /** Silent: Redis going down on purpose logs errors, which are not a test's output. */
  readonly logger: Logger;
  readonly url: string;
  /** A client named `name`, of this suite's server or of `url`, closed after the suite. */
  connect(name: string, options?: ConnectRedisOptions & { url?: string }): Promise<SignalingRedisClient>;
  /** Two signaling nodes' room stores: two connections to this server, in a key space of their own. */
  twoRoomStores(): Promise<[RedisRoomStateStore, RedisRoomStateStore]>;
}

/**
 * A redis-server started before the tests of the suite this is called in (if one is installed) and stopped after
 * them, with every client the suite connected closed first.
 */
export function redisForSuite(): SuiteRedis {
  let server: RunningRedisServer | undefined;
  const clients: SignalingRedisClient[] = [];
  const logger = createLogger('redis-test', 'silent');

  beforeAll(async () => {
    if (redisInstalled.ok) server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await server?.stop();
  });

  const suite: SuiteRedis = {
    logger,
    get url() {
      if (!server) throw new Error('no redis-server: it is not installed, or the suite has not started');
      return server.url;
    },
    async connect(name, { url = suite.url, ...options } = {}) {
      const client = await connectRedis(url, logger, name, options);
      clients.push(client);
      return client;
    },
    async twoRoomStores() {
      const keyPrefix = `test:${randomUUID()}:`;
      const [a, b] = await Promise.all([suite.connect('a'), suite.connect('b')]);
      return [new RedisRoomStateStore(a, { keyPrefix }), new RedisRoomStateStore(b, { keyPrefix })];
    },
  };
  return suite;
}
