import type { AuditActor } from './AuditActor.js';
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
  actor: AuditActor;
  entry: AuditEntry;
  /**
   * The key names one verified user (refusals a signed-in user caused, reported by signaling): the summary
   * then names that user too. Otherwise it names only the address, as it speaks for whoever sent them.
   */
  keyedByActor?: boolean;
}

interface Window {
  startedAt: number;
  written: number;
  suppressed: number;
  actor: AuditActor;
  entry: AuditEntry;
  keyedByActor: boolean;
}

const overflowKey = '\u0000overflow';

/**
 * Audits refusals that anyone can cause without an account (401s: no token, a forged or expired one), and
 * those signaling reports of a signed-in user (as many as their client sends), so that a flood cannot fill
 * the audit trail: per key, the first `perWindow` refusals of each window are
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
  async record(refusal: Refusal): Promise<void> {
    // The windows change synchronously, before any write: refusals arriving together count exactly.
    const ended: [string, Window][] = [];
    const window = this.#windowOf(refusal, ended);
    const writes = ended.map(([key, old]) => this.#summarize(key, old));
    if (window.written < this.#perWindow) {
      window.written += 1;
      writes.push(this.#audit.record(refusal.actor, refusal.entry));
    } else {
      window.suppressed += 1;
    }
    await Promise.all(writes);
  }

  /** Closes the windows that have ended: one summary event for each that suppressed refusals. */
  async flush(): Promise<void> {
    const ended = this.#takeEnded(this.#now());
    if (this.#windows.size === 0) this.stop();
    await Promise.all(ended.map(([key, window]) => this.#summarize(key, window)));
  }

  #windowOf({ key, actor, entry, keyedByActor = false }: Refusal, ended: [string, Window][]): Window {
    const now = this.#now();
    const current = this.#windows.get(key);
    if (current && now - current.startedAt < this.#windowMs) return current;
    if (current) {
      this.#windows.delete(key);
      ended.push([key, current]);
    }
    if (this.#windows.size >= this.#maxKeys && key !== overflowKey) {
      ended.push(...this.#takeEnded(now));
      if (this.#windows.size >= this.#maxKeys) {
        return this.#windowOf({ key: overflowKey, actor: { via: actor.via }, entry }, ended);
      }
    }
    const window: Window = { startedAt: now, written: 0, suppressed: 0, actor, entry, keyedByActor };
    this.#windows.set(key, window);
    this.#startTimer();
    return window;
  }

  /**
   * Removes the windows that have ended. They are kept in the order they started (one that ends is deleted
   * and its successor added at the end), so the first still running ends the sweep: a full map under a flood
   * is not walked on every refusal.
   */
  #takeEnded(now: number): [string, Window][] {
    const ended: [string, Window][] = [];
    for (const [key, window] of this.#windows) {
      if (now - window.startedAt < this.#windowMs) break;
      this.#windows.delete(key);
      ended.push([key, window]);
    }
    return ended;
  }

  /** Stops the periodic flush (a process that ends needs no timer keeping it alive; it is unref'd anyway). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #summarize(key: string, window: Window): Promise<void> {
    if (window.suppressed === 0) return Promise.resolve();
    const seconds = Math.round(this.#windowMs / 1000);
    // The summary speaks for many refusals: their address, not the actor of the first, unless the key is
    // that actor.
    const actor: AuditActor = { via: window.actor.via };
    if (key !== overflowKey) actor.ip = window.actor.ip;
    if (key !== overflowKey && window.keyedByActor) {
      actor.id = window.actor.id;
      actor.role = window.actor.role;
    }
    return this.#audit.record(actor, {
      action: window.entry.action,
      resourceType: window.entry.resourceType,
      outcome: 'denied',
      reason: `suppressed ${window.suppressed} similar refusals within ${seconds} s (${window.entry.reason ?? 'refused'})`,
    });
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
