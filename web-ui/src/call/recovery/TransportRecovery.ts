/** The media link as a call screen shows it. */
export const MediaConnectionState = {
  /** Transports being set up for the first time. */
  connecting: 'connecting',
  connected: 'connected',
  /** The path was lost (or the network changed): ICE restarting, or the transports being made again. */
  reconnecting: 'reconnecting',
} as const;
export type MediaConnectionState = (typeof MediaConnectionState)[keyof typeof MediaConnectionState];

/** A transport's ICE+DTLS state, as mediasoup-client reports it (`connectionstatechange`). */
export type TransportConnectionState =
  | 'new'
  | 'connecting'
  | 'connected'
  | 'failed'
  | 'disconnected'
  | 'closed';

export interface TransportRecoveryOptions {
  /** New ICE credentials from the SFU for every transport, and `restartIce` on each; rejects when refused. */
  restartIce(): Promise<void>;
  /** The fallback: close the transports, make new ones, produce and consume everything again. */
  recreate(): Promise<void>;
  onState(state: MediaConnectionState): void;
  /** How long a `disconnected` may last before it is treated as lost (it often heals by itself). */
  disconnectedGraceMs?: number;
  /** How long after an ICE restart media must flow again before the transports are made anew. */
  restartBoundMs?: number;
  /** A failed fallback is tried again after this long. */
  retryMs?: number;
}

type Phase = 'idle' | 'restarting' | 'recreating';

/**
 * Decides when the media transports need help, and which: a `disconnected` lasting past a grace period, a
 * `failed`, or the browser's word that the network changed (`online`, `navigator.connection` `change`) first
 * restarts ICE on the same transports (fast: no new producers or consumers); if media is not flowing again
 * within a bound, or the restart is refused (the SFU lost the transport), the transports are made anew. It
 * holds only timers and states, so its rules are tested without a browser; `CallMedia` does the work.
 */
export class TransportRecovery {
  readonly #options: TransportRecoveryOptions;
  readonly #states = new Map<string, TransportConnectionState>();
  #phase: Phase = 'idle';
  #state: MediaConnectionState = MediaConnectionState.connecting;
  #everConnected = false;
  /** A `recreateNow` during a fallback: one more fallback after it. */
  #again = false;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #boundTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: TransportRecoveryOptions) {
    this.#options = options;
  }

  get state(): MediaConnectionState {
    return this.#state;
  }

  /** A new transport to watch; the transports a fallback replaced are forgotten first (`forgetTransports`). */
  watch(transportId: string): void {
    this.#states.set(transportId, 'new');
  }

  forgetTransports(): void {
    this.#states.clear();
  }

  transportState(transportId: string, state: TransportConnectionState): void {
    if (this.#closed || !this.#states.has(transportId)) return;
    this.#states.set(transportId, state);
    if (state === 'failed') {
      this.recover('ice failed');
    } else if (state === 'disconnected') {
      // Chromium reports `disconnected` after a few lost consent checks; it often comes back on its own.
      this.#graceTimer ??= setTimeout(() => {
        this.#graceTimer = undefined;
        if ([...this.#states.values()].includes('disconnected')) this.recover('ice disconnected');
      }, this.#options.disconnectedGraceMs ?? 1_000);
    } else if (state === 'connected') {
      this.#checkFlowing();
    }
  }

  /** The browser says the network changed: the old path may be gone although ICE has not noticed yet. */
  networkChanged(): void {
    if (this.#closed || this.#states.size === 0 || !this.#everConnected) return;
    this.recover('network changed');
  }

  /**
   * Nothing came from the SFU for a while on any transport that should hear from it (`MediaStallDetector`):
   * the path is gone although ICE still says `connected`. Ignored before the first connection and while a
   * recovery is under way.
   */
  mediaStalled(): void {
    if (this.#closed || !this.#everConnected) return;
    this.recover('media stalled');
  }

  /** Starts a recovery unless one is under way: an ICE restart first. */
  recover(_why: string): void {
    if (this.#closed || this.#phase !== 'idle') return;
    this.#phase = 'restarting';
    this.#setState(MediaConnectionState.reconnecting);
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    this.#boundTimer = setTimeout(() => this.#fallBack(), this.#options.restartBoundMs ?? 4_000);
    this.#options.restartIce().then(
      // A restart over a path that still works leaves the transports `connected` throughout: no event comes.
      () => this.#checkFlowing(),
      (error: unknown) => {
        // Refused (the SFU no longer has the transport) or unreachable: waiting for the bound would only lose time.
        console.warn('restarting ICE failed; making the transports anew', error);
        if (this.#phase === 'restarting') this.#fallBack();
      },
    );
  }

  /**
   * Straight to new transports: the server says the old ones are gone (their SFU node died). A fallback under
   * way may have used the old node's answers, so it runs once more after it.
   */
  recreateNow(): void {
    if (this.#closed) return;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    if (this.#phase === 'recreating') {
      this.#again = true;
      return;
    }
    this.#fallBack();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#boundTimer);
  }

  #allConnected(): boolean {
    return this.#states.size > 0 && [...this.#states.values()].every((state) => state === 'connected');
  }

  #checkFlowing(): void {
    if (!this.#allConnected()) return;
    this.#everConnected = true;
    if (this.#phase === 'restarting') {
      clearTimeout(this.#boundTimer);
      this.#boundTimer = undefined;
      this.#phase = 'idle';
    }
    if (this.#phase === 'idle') this.#setState(MediaConnectionState.connected);
  }

  #fallBack(): void {
    clearTimeout(this.#boundTimer);
    this.#boundTimer = undefined;
    if (this.#closed || this.#phase === 'recreating') return;
    this.#phase = 'recreating';
    this.#setState(MediaConnectionState.reconnecting);
    this.#options.recreate().then(
      () => {
        if (this.#closed) return;
        this.#phase = 'idle';
        if (this.#again) {
          this.#again = false;
          this.#fallBack();
          return;
        }
        // The new transports report `connected` themselves; they may have done so already.
        this.#checkFlowing();
      },
      () => {
        if (this.#closed) return;
        this.#phase = 'idle';
        this.#again = false;
        // Still no way through (the signaling link may be down too): try the whole path again a little later.
        this.#boundTimer = setTimeout(() => this.recover('retry'), this.#options.retryMs ?? 2_000);
      },
    );
  }

  #setState(state: MediaConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#options.onState(state);
  }
}
