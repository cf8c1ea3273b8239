import type { Logger } from '@telemed/service-kit';
import { createClient } from 'redis';

export type SignalingRedisClient = ReturnType<typeof createClient>;

export interface ConnectRedisOptions {
  /**
   * Commands fail at once while the connection is down instead of waiting for it to come back. Right for the
   * rooms' state: an event answered "unavailable" at once beats one that waits past the client's ack timeout.
   * The adapter's clients keep the queue: its publishes have nobody to answer.
   */
  failFastWhileDisconnected?: boolean;
  /** How long start-up waits for Redis before giving up with a message naming REDIS_URL. */
  connectTimeoutMs?: number;
}

/**
 * A connected Redis client. Errors are logged, not thrown: without an `error` listener the client's connection
 * errors would crash the process, and it reconnects by itself (commands fail meanwhile, and each event's ack
 * says so). The first connection must succeed, though: a node that never reached Redis would wait unseen.
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  name: string,
  { failFastWhileDisconnected = false, connectTimeoutMs = 10_000 }: ConnectRedisOptions = {},
): Promise<SignalingRedisClient> {
  const client = createClient({ url, name, disableOfflineQueue: failFastWhileDisconnected });
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
    logger.error({ err: error, client: name }, 'redis client error');
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.destroy();
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      reject(
        new Error(
          `Signaling cannot reach Redis at REDIS_URL=${withoutPassword(url)} within ${connectTimeoutMs} ms${why}`,
        ),
      );
    }, connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** The URL as it may appear in logs and messages. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
