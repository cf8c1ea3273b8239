import { EventEmitter } from 'node:events';

/** Event name → tuple of listener arguments. */
export type EventMap = Record<string, unknown[]>;

/**
 * A Node EventEmitter whose event names and listener arguments are checked against `Events`.
 * A throwing listener is reported on `listenererror` rather than breaking the engine's packet path.
 */
export class EnhancedEventEmitter<Events extends EventMap> {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(Number.POSITIVE_INFINITY);
  }

  on<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  removeAllListeners<E extends keyof Events & string>(event?: E): this {
    if (event === undefined) this.#emitter.removeAllListeners();
    else this.#emitter.removeAllListeners(event);
    return this;
  }

  listenerCount<E extends keyof Events & string>(event: E): number {
    return this.#emitter.listenerCount(event);
  }

  /** Emits to every listener; a listener's exception is caught so the other listeners and the caller go on. */
  safeEmit<E extends keyof Events & string>(event: E, ...args: Events[E]): boolean {
    const listeners = this.#emitter.listeners(event) as ((...a: Events[E]) => void)[];
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        if (event !== 'listenererror') this.#emitter.emit('listenererror', event, error);
      }
    }
    return listeners.length > 0;
  }
}
