import type { SfuEvent } from '@telemed/shared';

type Unsequenced<T> = T extends unknown ? Omit<T, 'seq'> : never;

/** Recent SFU events for the signaling server's long poll; older ones drop off the end. */
export class EventLog {
  readonly #events: SfuEvent[] = [];
  readonly #capacity: number;
  readonly #waiters = new Set<() => void>();
  #seq = 0;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  push(event: Unsequenced<SfuEvent>): void {
    this.#seq++;
    this.#events.push({ ...event, seq: this.#seq } as SfuEvent);
    if (this.#events.length > this.#capacity) this.#events.splice(0, this.#events.length - this.#capacity);
    for (const wake of [...this.#waiters]) wake();
  }

  since(afterSeq: number): SfuEvent[] {
    return this.#events.filter((e) => e.seq > afterSeq);
  }

  /** Events after `afterSeq`, waiting up to `waitMs` for the first one. */
  async poll(afterSeq: number, waitMs: number): Promise<SfuEvent[]> {
    const ready = this.since(afterSeq);
    if (ready.length > 0 || waitMs <= 0) return ready;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.#waiters.add(done);
    });
    return this.since(afterSeq);
  }

  /** Releases every waiting poll (on shutdown). */
  wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
