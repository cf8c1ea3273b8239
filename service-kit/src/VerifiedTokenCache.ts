import type { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type VerifiedAccessToken, verifyAccessToken } from './verifyAccessToken.js';

/**
 * Verifies access tokens, remembering each valid one until it expires: every API request carries the
 * same token for its 15 minutes, and checking its signature again each time costs more CPU than most
 * reads. Invalid tokens are never remembered; a remembered one is dropped the moment it expires.
 */
export class VerifiedTokenCache {
  readonly #key: KeyObject;
  readonly #verified: LRUCache<string, VerifiedAccessToken>;

  constructor(key: KeyObject, maxEntries = 10_000) {
    this.#key = key;
    this.#verified = new LRUCache({ max: maxEntries });
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    const known = this.#verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    const verified = await verifyAccessToken(token, this.#key);
    const ttl = verified.expiresAt - Date.now();
    if (ttl > 0) this.#verified.set(token, verified, { ttl });
    return verified;
  }
}
