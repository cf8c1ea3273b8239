/**
 * Socket.IO ends a connection for these reasons when the link failed rather than the user or the server chose to
 * end it: the same list Socket.IO keeps a session for (connection state recovery), so exactly the sockets that
 * may come back in the same place are given the grace.
 */
const droppedReasons: ReadonlySet<string> = new Set([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
]);

/** Whether a socket closed for `reason` may still come back with its state recovered. */
export function isDroppedLink(reason: string): boolean {
  return droppedReasons.has(reason);
}

/**
 * The places held for dropped sockets on this node, one timer per socket: a socket that comes back within
 * `graceMs` (Socket.IO's recovery window) keeps its place; when the timer fires, the owner makes it leave.
 */
export class ReconnectionGrace {
  readonly #graceMs: number;
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  /** Holds the socket's place; `expired` runs once the window passed without it coming back here. */
  hold(socketId: string, expired: () => void): void {
    this.release(socketId);
    const timer = setTimeout(() => {
      this.#timers.delete(socketId);
      expired();
    }, this.#graceMs);
    timer.unref();
    this.#timers.set(socketId, timer);
  }

  /** Whether `socketId` dropped here and its place is still held for it. */
  holds(socketId: string): boolean {
    return this.#timers.has(socketId);
  }

  /** The socket came back (or its place is gone): no timer for it any more. */
  release(socketId: string): void {
    clearTimeout(this.#timers.get(socketId));
    this.#timers.delete(socketId);
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
