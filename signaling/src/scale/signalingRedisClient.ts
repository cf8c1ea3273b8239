import type { Logger } from '@telemed/service-kit';
import { createClient } from 'redis';

export type SignalingRedisClient = ReturnType<typeof createClient>;

/**
 * A connected Redis client. Errors are logged, not thrown: without an `error` listener the client's connection
 * errors would crash the process, and it reconnects by itself (commands fail meanwhile, and each event's ack
 * says so).
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  name: string,
  { failFastWhileDisconnected = false } = {},
): Promise<SignalingRedisClient> {
  // Failing fast suits the rooms' state: an event answered "unavailable" at once beats one that waits for Redis
  // past the client's ack timeout. The adapter's clients keep the queue: its publishes have nobody to answer.
  const client = createClient({ url, name, disableOfflineQueue: failFastWhileDisconnected });
  client.on('error', (error: unknown) => logger.error({ err: error, client: name }, 'redis client error'));
  await client.connect();
  return client;
}
