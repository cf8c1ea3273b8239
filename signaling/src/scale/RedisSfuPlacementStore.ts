import type { SfuPlacementStore } from '../media/SfuPlacementStore.js';
import type { SignalingRedisClient } from './signalingRedisClient.js';

/** Placements outlive no room for long; a key left by a killed node goes after a day, as rooms' keys do. */
const placementTtlSeconds = 24 * 60 * 60;

/**
 * Which SFU node each room is on, shared by every signaling node through Redis: the first claim wins (SET NX),
 * so two nodes that chose different SFU nodes for the same room at the same moment both end up on one.
 */
export class RedisSfuPlacementStore implements SfuPlacementStore {
  readonly #client: SignalingRedisClient;
  readonly #prefix: string;

  constructor(
    client: SignalingRedisClient,
    { keyPrefix = 'telemed:signaling:' }: { keyPrefix?: string } = {},
  ) {
    this.#client = client;
    this.#prefix = keyPrefix;
  }

  async get(appointmentId: string): Promise<string | undefined> {
    return (await this.#client.get(this.#key(appointmentId))) ?? undefined;
  }

  async claim(appointmentId: string, url: string): Promise<string> {
    const key = this.#key(appointmentId);
    const placed = await this.#client.set(key, url, { NX: true, EX: placementTtlSeconds });
    if (placed === 'OK') return url;
    const current = await this.#client.get(key);
    // Released between the two calls: claim again rather than answer a node nobody holds.
    return current ?? this.claim(appointmentId, url);
  }

  async release(appointmentId: string): Promise<void> {
    await this.#client.del(this.#key(appointmentId));
  }

  #key(appointmentId: string): string {
    return `${this.#prefix}sfu-placement:${appointmentId}`;
  }
}
