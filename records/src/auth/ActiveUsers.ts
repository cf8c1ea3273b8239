import type { Role } from '@telemed/shared';
import type { ClusterPeers } from '../cluster/ClusterPeers.js';
import type { Models } from '../models/registerModels.js';

export interface ActiveUser {
  role: Role;
  organizationId: string;
}

/**
 * Whether an account is still active, and its current role and organization, remembered for a few seconds so
 * that every request does not cost a database read. Changes made through the records service take effect at
 * once (`forget`, which also reaches the other workers of a cluster); the short lifetime bounds how stale a
 * change made behind the service's back can be.
 */
export class ActiveUsers {
  readonly #model: Models['User'];
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { user: ActiveUser | null; expiresAt: number }>();
  readonly #peers: ClusterPeers | undefined;

  constructor(model: Models['User'], options: { ttlMs?: number; peers?: ClusterPeers } = {}) {
    this.#model = model;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#peers = options.peers;
    this.#peers?.onNotice((notice) => this.#entries.delete(notice.userId));
  }

  /** The active account, or null when it does not exist or was deactivated. */
  async get(id: string): Promise<ActiveUser | null> {
    const now = Date.now();
    const cached = this.#entries.get(id);
    if (cached && cached.expiresAt > now) return cached.user;
    const stored = await this.#model.findById(id, { active: 1, role: 1, organizationId: 1 }).lean();
    const user =
      stored && stored.active !== false
        ? { role: stored.role, organizationId: stored.organizationId.toHexString() }
        : null;
    // Bounded: a flood of distinct ids cannot grow the map without limit.
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(id, { user, expiresAt: now + this.#ttlMs });
    return user;
  }

  /** Drops what this process and its cluster peers remember of the account; resolves once they all have. */
  async forget(id: string): Promise<void> {
    this.#entries.delete(id);
    await this.#peers?.notify({ kind: 'forget-user', userId: id });
  }
}
