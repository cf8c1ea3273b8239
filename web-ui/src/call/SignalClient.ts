import {
  AppError,
  type ClientToServerEvents,
  errorBodySchema,
  errorMessage,
  type Locale,
  type ServerToClientEvents,
  type SignalingAck,
  type SignalingNotification,
  type SignalingNotificationName,
  type SignalingRequest,
  type SignalingRequestName,
  signalingNotifications,
  signalingRequests,
} from '@telemed/shared';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { TypedEmitter } from './TypedEmitter.js';

/** The signaling link's own state, from Socket.IO's socket and manager events (LiveKit's SignalClient keeps one too). */
export const SignalState = {
  connecting: 'connecting',
  connected: 'connected',
  /** The link dropped; Socket.IO is trying again by itself. */
  reconnecting: 'reconnecting',
  /** Closed by us, refused by the server, or given up on: nothing reconnects by itself any more. */
  disconnected: 'disconnected',
} as const;
export type SignalState = (typeof SignalState)[keyof typeof SignalState];

export interface SignalStateChange {
  state: SignalState;
  /** On `connected` after a drop: whether Socket.IO recovered the same session (rooms and id kept). */
  recovered: boolean;
  /** On `disconnected`: why, when the server refused or cut us off. */
  error?: AppError;
}

/** A request's arguments: the payload, unless the table says the event carries none. */
export type RequestArgs<E extends SignalingRequestName> =
  (typeof signalingRequests)[E]['request'] extends null ? [] : [payload: SignalingRequest<E>];

export type NotificationListener<E extends SignalingNotificationName> = (
  payload: SignalingNotification<E>,
) => void;

/** What the call needs of the signaling link; the call client's tests put a double in its place. */
export interface CallSignal {
  readonly state: SignalState;
  connect(): Promise<void>;
  request<E extends SignalingRequestName>(name: E, ...args: RequestArgs<E>): Promise<SignalingAck<E>>;
  on<E extends SignalingNotificationName>(name: E, listener: NotificationListener<E>): () => void;
  onState(listener: (change: SignalStateChange) => void): () => void;
  /** Drops a link that no longer answers, so that it reconnects now; answers whether it answered. */
  checkLink?(timeoutMs?: number): Promise<boolean>;
  close(): void;
}

export interface SignalClientOptions {
  /** The signaling origin; the apps' own origin (which proxies `/socket.io`) when absent. */
  url?: string;
  /**
   * Signaling origins to fail over through, in order (after `url`, when both are given): a connection that
   * cannot be opened moves on to the next, so a killed node's sockets reach another. Deployments behind one
   * origin fail over in the reverse proxy instead (README, "Recovery").
   */
  fallbackUrls?: string[];
  /** Asked at every (re)connection, so a refreshed token is used. */
  accessToken: () => string | undefined;
  /** The language of the server's error messages and of our own. */
  locale: () => Locale;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Socket.IO options over ours (tests shorten the reconnection delays). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Events = { state: [SignalStateChange] } & {
  [E in SignalingNotificationName]: [SignalingNotification<E>];
};

/** Socket.IO's reasons for a disconnect after which it does not try again by itself. */
const finalReasons = new Set(['io server disconnect', 'io client disconnect']);

/**
 * The browser's signaling link, typed by the shared protocol table: every request's payload is checked before it
 * leaves, every ack and notification is parsed when it arrives, and ack errors become `AppError`s carrying the
 * server's message in the person's language. It knows nothing of rooms or media; `CallClient` does.
 */
export class SignalClient implements CallSignal {
  readonly #socket: RawSocket;
  readonly #options: SignalClientOptions;
  readonly #events = new TypedEmitter<Events>();
  #state: SignalState = SignalState.disconnected;
  #everConnected = false;
  #linkCheck: Promise<boolean> | undefined;

  constructor(options: SignalClientOptions) {
    this.#options = options;
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      autoConnect: false,
      transports: ['websocket'],
      auth: (callback) => callback({ token: options.accessToken(), locale: options.locale() }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      ...options.socketOptions,
    };
    this.#socket = options.url ? io(options.url, socketOptions) : io(socketOptions);
    this.#listen();
    if (options.url && options.fallbackUrls?.length)
      this.#failOverThrough([options.url, ...options.fallbackUrls]);
  }

  get state(): SignalState {
    return this.#state;
  }

  /** The underlying socket, for tests that cut the link on purpose. */
  get socket(): RawSocket {
    return this.#socket;
  }

  /** Connects (or waits for the connection under way); rejects with an `AppError` when refused or unreachable. */
  connect(): Promise<void> {
    if (this.#state === SignalState.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timeoutMs = this.#options.connectTimeoutMs ?? 15_000;
      const timer = setTimeout(() => {
        stop();
        reject(this.#unavailable());
      }, timeoutMs);
      const stop = this.#events.on('state', ({ state, error }) => {
        if (state === SignalState.connected) {
          clearTimeout(timer);
          stop();
          resolve();
        } else if (state === SignalState.disconnected) {
          clearTimeout(timer);
          stop();
          reject(error ?? this.#unavailable());
        }
      });
      if (this.#state === SignalState.disconnected) {
        this.#setState({ state: SignalState.connecting, recovered: false });
        this.#socket.connect();
      }
    });
  }

  async request<E extends SignalingRequestName>(name: E, ...args: RequestArgs<E>): Promise<SignalingAck<E>> {
    const spec = signalingRequests[name];
    const parts: unknown[] = [];
    if (spec.request !== null) {
      const parsed = spec.request.safeParse(args[0]);
      if (!parsed.success) throw AppError.fromZod(parsed.error, `${name} payload`);
      parts.push(parsed.data);
    }
    let answer: unknown;
    try {
      const socket = this.#socket.timeout(this.#options.requestTimeoutMs ?? 15_000) as unknown as Socket;
      answer = await socket.emitWithAck(name, ...parts);
    } catch {
      throw this.#unavailable();
    }
    return parseAck(name, answer, this.#options.locale());
  }

  /**
   * A network change leaves the TCP link dead without either end noticing: the heartbeat would take up to 45 s
   * to tell. Media recovery asks first; no answer within `timeoutMs` drops the socket, and Socket.IO reconnects
   * at once over the new path, so the requests that follow are not lost on the dead one.
   */
  checkLink(timeoutMs = 1_500): Promise<boolean> {
    if (!this.#socket.connected) return Promise.resolve(false);
    // A stalled media path asks early and the recovery asks again: both wait for the one check under way.
    this.#linkCheck ??= this.#socket
      .timeout(timeoutMs)
      .emitWithAck('session:whoami')
      .then(
        () => true,
        () => {
          if (this.#socket.connected) this.#socket.io.engine.close();
          return false;
        },
      )
      .finally(() => {
        this.#linkCheck = undefined;
      });
    return this.#linkCheck;
  }

  on<E extends SignalingNotificationName>(name: E, listener: NotificationListener<E>): () => void {
    return this.#events.on(name, listener as unknown as (...args: Events[E]) => void);
  }

  onState(listener: (change: SignalStateChange) => void): () => void {
    return this.#events.on('state', listener);
  }

  close(): void {
    this.#socket.disconnect();
    this.#setState({ state: SignalState.disconnected, recovered: false });
    this.#events.removeAllListeners();
  }

  #listen(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      const recovered = this.#everConnected && socket.recovered;
      this.#everConnected = true;
      this.#setState({ state: SignalState.connected, recovered });
    });
    socket.on('disconnect', (reason) => {
      if (finalReasons.has(reason)) this.#setState({ state: SignalState.disconnected, recovered: false });
      else this.#setState({ state: SignalState.reconnecting, recovered: false });
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      // A refusal by the server's middleware (a bad token, an inactive account) is final; a network failure is not.
      if (socket.active) return;
      const body = errorBodySchema.safeParse({ error: error.data });
      this.#setState({
        state: SignalState.disconnected,
        recovered: false,
        error: body.success
          ? new AppError(body.data.error.code, body.data.error.message)
          : this.#unavailable(),
      });
    });
    socket.io.on('reconnect_attempt', () => {
      if (this.#state !== SignalState.reconnecting) {
        this.#setState({ state: SignalState.reconnecting, recovered: false });
      }
    });
    socket.io.on('reconnect_failed', () =>
      this.#setState({ state: SignalState.disconnected, recovered: false }),
    );
    for (const name of Object.keys(signalingNotifications) as SignalingNotificationName[]) {
      socket.on(name, ((payload: unknown) => {
        const parsed = signalingNotifications[name].safeParse(payload);
        // A notification the contract does not allow is a server bug; acting on it could corrupt the call.
        if (!parsed.success) {
          console.error(`signaling sent a malformed ${name}`, parsed.error);
          return;
        }
        this.#events.emit(name, ...([parsed.data] as Events[typeof name]));
      }) as never);
    }
  }

  /**
   * Every failed attempt to open the link (the first, or a reconnection) points the next at the next origin.
   * Socket.IO's manager opens each attempt on its `uri`; a different node cannot recover the old session, so
   * the call rejoins there (the rooms' state is shared through Redis).
   */
  #failOverThrough(urls: readonly string[]): void {
    const manager = this.#socket.io as unknown as {
      uri: string;
      on(event: 'error', listener: () => void): void;
    };
    let index = 0;
    manager.on('error', () => {
      index = (index + 1) % urls.length;
      manager.uri = urls[index] as string;
    });
  }

  #setState(change: SignalStateChange): void {
    if (change.state === this.#state && change.state !== SignalState.connected) return;
    this.#state = change.state;
    this.#events.emit('state', change);
  }

  #unavailable(): AppError {
    return new AppError('SERVICE_UNAVAILABLE', errorMessage('SERVICE_UNAVAILABLE', this.#options.locale()));
  }
}

/** An ack as the table says: the data, parsed; or the server's error as an `AppError`. */
function parseAck<E extends SignalingRequestName>(name: E, answer: unknown, locale: Locale): SignalingAck<E> {
  const spec = signalingRequests[name];
  if (answer && typeof answer === 'object' && 'ok' in answer) {
    if (answer.ok === true && 'data' in answer) {
      const data = spec.ack.safeParse(answer.data);
      if (data.success) return data.data as SignalingAck<E>;
    } else if (answer.ok === false) {
      const body = errorBodySchema.safeParse(answer);
      if (body.success) {
        const { code, message, details } = body.data.error;
        throw new AppError(code, message, details);
      }
    }
  }
  throw new AppError('CONTRACT_MISMATCH', `${errorMessage('CONTRACT_MISMATCH', locale)} (${name})`);
}
