import type { Catalog } from './Catalog.js';

/**
 * Deletes documents whose TTL-indexed date is older than `expireAfterSeconds`, by walking
 * the index's date range, like mongod's TTL monitor (every 60 s by default).
 */
export class TtlMonitor {
  readonly #catalog: Catalog;
  readonly #commit: () => Promise<void>;
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(catalog: Catalog, commit: () => Promise<void>, log: (line: string) => void = () => {}) {
    this.#catalog = catalog;
    this.#commit = commit;
    this.#log = log;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      void this.sweep().catch((error: Error) => this.#log(`TTL sweep failed: ${error.message}`));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One pass over every TTL index; returns how many documents were deleted. */
  async sweep(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (const coll of this.#catalog.allCollections()) {
      for (const index of coll.indexes.values()) {
        const secs = index.spec.expireAfterSeconds;
        if (secs === undefined || index.fields.length !== 1) continue;
        const cutoff = now - secs * 1000;
        const expired = new Set<string>();
        const probe = index.rangeProbe([], { hi: new Date(cutoff), hiInclusive: false, loInclusive: true });
        for (const entry of index.tree.scan(probe)) expired.add(entry.id);
        for (const id of expired) if (coll.delete(id)) deleted++;
      }
    }
    if (deleted > 0) await this.#commit();
    return deleted;
  }
}
