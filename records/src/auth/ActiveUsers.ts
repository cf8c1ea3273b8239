import type { Role } from '@telemed/shared';
import type { Models } from '../models/registerModels.js';

export interface ActiveUser {
  role: Role;
  organizationId: string;
}

/**
 * Whether an account is still active, and its current role and organization, remembered for a few seconds so
 * that every request does not cost a database read. Changes made through this process take effect at once
 * (`forget`); the short lifetime bounds how stale any other writer's change can be.
 */
export class ActiveUsers {
  readonly #model: Models['User'];
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { user: ActiveUser | null; expiresAt: number }>();

  constructor(model: Models['User'], ttlMs = 5000) {
    this.#model = model;
    this.#ttlMs = ttlMs;
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

  forget(id: string): void {
    this.#entries.delete(id);
  }
}
