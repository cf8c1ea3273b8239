import type { AuditEntry, AuditLog } from './AuditLog.js';

export interface RefusalAuditOptions {
  /** Refusals written per key and window; those beyond are counted and summed up in one event. */
  perWindow?: number;
  windowMs?: number;
  /** Keys remembered at most: beyond, refusals share one key, so a flood of addresses cannot grow memory. */
  maxKeys?: number;
  now?: () => number;
}

export interface Refusal {
  /** What makes refusals "similar": the client address and the kind of refusal, never attacker-chosen text. */
  key: string;
  ip: string | undefined;
  entry: AuditEntry;
}

interface Window {
  startedAt: number;
  written: number;
  suppressed: number;
  ip: string | undefined;
  entry: AuditEntry;
}

const overflowKey = '\u0000overflow';

/**
 * Audits refusals that anyone can cause without an account (401s: no token, a forged or expired one), so
 * that a flood cannot fill the audit trail: per key, the first `perWindow` refusals of each window are
 * written as they come, the rest only counted, and one event per key and window then says "suppressed K
 * similar refusals". Memory is bounded by `maxKeys`.
 */
export class RefusalAudit {
  readonly #audit: AuditLog;
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();
  #timer: NodeJS.Timeout | undefined;

  constructor(audit: AuditLog, options: RefusalAuditOptions = {}) {
    this.#audit = audit;
    this.#perWindow = options.perWindow ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Writes the refusal, or counts it when its key has had its share of this window. */
  async record({ key, ip, entry }: Refusal): Promise<void> {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window && now - window.startedAt >= this.#windowMs) {
      await this.#close(key, window);
      window = undefined;
    }
    if (!window) {
      if (this.#windows.size >= this.#maxKeys) {
        await this.flush();
        if (this.#windows.size >= this.#maxKeys)
          return this.record({ key: overflowKey, ip: undefined, entry });
      }
      window = { startedAt: now, written: 0, suppressed: 0, ip, entry };
      this.#windows.set(key, window);
      this.#startTimer();
    }
    if (window.written >= this.#perWindow) {
      window.suppressed += 1;
      return;
    }
    window.written += 1;
    await this.#audit.recordDetached([entry], ip);
  }

  /** Closes the windows that have ended: one summary event for each that suppressed refusals. */
  async flush(): Promise<void> {
    const now = this.#now();
    for (const [key, window] of [...this.#windows]) {
      if (now - window.startedAt >= this.#windowMs) await this.#close(key, window);
    }
    if (this.#windows.size === 0) this.stop();
  }

  /** Stops the periodic flush (a process that ends needs no timer keeping it alive; it is unref'd anyway). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #close(key: string, window: Window): Promise<void> {
    this.#windows.delete(key);
    if (window.suppressed === 0) return;
    const seconds = Math.round(this.#windowMs / 1000);
    await this.#audit.recordDetached(
      [
        {
          action: window.entry.action,
          resourceType: window.entry.resourceType,
          outcome: 'denied',
          reason: `suppressed ${window.suppressed} similar refusals within ${seconds} s (${window.entry.reason ?? 'refused'})`,
        },
      ],
      key === overflowKey ? undefined : window.ip,
    );
  }

  #startTimer(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      // A summary that cannot be written is dropped: the refusals it counts were already answered, and the
      // database being down is reported by the health check, not here.
      this.flush().catch(() => {});
    }, this.#windowMs);
    this.#timer.unref();
  }
}
