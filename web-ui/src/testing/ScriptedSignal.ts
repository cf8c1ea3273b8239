import type {
  SignalingAck,
  SignalingNotification,
  SignalingNotificationName,
  SignalingRequestName,
} from '@telemed/shared';
import type { CallSignal, NotificationListener, SignalStateChange } from '../call/SignalClient.js';
import { SignalState } from '../call/SignalClient.js';
import { TypedEmitter } from '../call/TypedEmitter.js';

type Handler = (payload: Record<string, unknown>) => unknown;

/**
 * A scripted signaling server for the tests that need its answers and pushes on demand (a refusal, the other
 * side's notice, a dropped link): answers requests from `handlers`, and pushes notifications and link changes
 * when told. The real link is tested in Chromium by the e2e browser tests.
 */
export class ScriptedSignal implements CallSignal {
  state: SignalState = SignalState.disconnected;
  readonly requests: Array<{ name: string; payload: unknown }> = [];
  readonly handlers = new Map<string, Handler>();
  readonly #events = new TypedEmitter<Record<string, unknown[]>>();
  closed = 0;

  async connect(): Promise<void> {
    if (this.state !== SignalState.connected) this.link({ state: SignalState.connected, recovered: false });
  }

  async request<E extends SignalingRequestName>(name: E, ...args: unknown[]): Promise<SignalingAck<E>> {
    this.requests.push({ name, payload: args[0] });
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no script for ${name}`);
    return (await handler(args[0] as Record<string, unknown>)) as SignalingAck<E>;
  }

  on<E extends SignalingNotificationName>(name: E, listener: NotificationListener<E>): () => void {
    return this.#events.on(name, listener as (...args: unknown[]) => void);
  }

  onState(listener: (change: SignalStateChange) => void): () => void {
    return this.#events.on('state', listener as (...args: unknown[]) => void);
  }

  notify<E extends SignalingNotificationName>(name: E, payload: SignalingNotification<E>): void {
    this.#events.emit(name, payload);
  }

  link(change: SignalStateChange): void {
    this.state = change.state;
    this.#events.emit('state', change);
  }

  named(name: string): unknown[] {
    return this.requests.filter((r) => r.name === name).map((r) => r.payload);
  }

  close(): void {
    this.closed++;
  }
}
