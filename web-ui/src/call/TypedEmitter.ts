type Listener = (...args: unknown[]) => void;

/** Each event's listener arguments, by event name. */
export type EventMap = Record<string, unknown[]>;

/**
 * A small typed emitter that wraps rather than extends (as the SFU's `EnhancedEventEmitter` does): a listener
 * that throws is reported and does not stop the others, so one broken screen cannot break the call.
 */
export class TypedEmitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = (error) => console.error(error)) {
    this.#onListenerError = onListenerError;
  }

  /** Adds `listener`; the function returned removes it. */
  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as unknown as Listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): void {
    this.#listeners.get(event)?.delete(listener as unknown as Listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as unknown as (...a: Events[E]) => void)(...args);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
