import type { Worker as NodeWorker } from 'node:worker_threads';
import { AppError } from '@telemed/shared';
import type { ThreadCall, ThreadMessage } from './threadProtocolTypes.js';

type EventListener = (name: string, args: unknown[], observer: boolean) => void;

/** Calls into an engine thread and routes its events to the proxy objects by id. */
export class ThreadChannel {
  readonly #thread: NodeWorker;
  #nextCallId = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Map<string, EventListener>();
  #failure: Error | undefined;

  constructor(thread: NodeWorker) {
    this.#thread = thread;
    thread.on('message', (m: ThreadMessage) => this.#onMessage(m));
  }

  #onMessage(m: ThreadMessage): void {
    if (m.type === 'event') {
      this.#listeners.get(m.target)?.(m.name, m.args, m.observer);
      return;
    }
    if (m.type !== 'result' && m.type !== 'error') return;
    const pending = this.#pending.get(m.callId);
    if (!pending) return;
    this.#pending.delete(m.callId);
    if (m.type === 'result') pending.resolve(m.value);
    else pending.reject(m.code ? new AppError(m.code, m.message) : new Error(m.message));
  }

  /** Calls `method` on the thread's object `target`; rejects with the thread's error (AppErrors keep their code). */
  call<T>(target: string, method: string, args: unknown[] = []): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const callId = this.#nextCallId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(callId, { resolve: resolve as (v: unknown) => void, reject });
      const message: ThreadCall = { type: 'call', callId, target, method, args };
      this.#thread.postMessage(message);
    });
  }

  /** A call whose answer nobody waits for (close); failures are ignored because the object is gone either way. */
  fire(target: string, method: string): void {
    this.call(target, method).catch(() => undefined);
  }

  subscribe(target: string, listener: EventListener): void {
    this.#listeners.set(target, listener);
  }

  unsubscribe(target: string): void {
    this.#listeners.delete(target);
  }

  /** The thread is gone: every pending and later call fails with `error`. */
  fail(error: Error): void {
    this.#failure = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#listeners.clear();
  }
}
