import net from 'node:net';
import { isKnownRole } from '../auth/roles.js';
import { UserStore } from '../auth/UserStore.js';
import type { CommandDispatcher } from '../commands/CommandDispatcher.js';
import type { CommandEnvironment } from '../commands/CommandTypes.js';
import { CursorManager } from '../commands/CursorManager.js';
import { createDispatcher } from '../commands/createDispatcher.js';
import { LocalSessions } from '../commands/LocalSessions.js';
import { Catalog } from '../storage/Catalog.js';
import { Persistence } from '../storage/Persistence.js';
import { TtlMonitor } from '../storage/TtlMonitor.js';
import { Connection } from './Connection.js';
import type { RunningServer, StartOptions, StoreUser } from './ServerTypes.js';

/** The TCP server: accepts connections and hands their requests to the command dispatcher. */
export class EmbeddedServer implements RunningServer {
  readonly #server: net.Server;
  readonly #connections = new Set<Connection>();
  readonly #dispatcher: CommandDispatcher;
  readonly #cursors = new CursorManager();
  readonly #catalog = new Catalog();
  readonly #users = new UserStore(this.#catalog);
  readonly #authEnabled: boolean;
  readonly #persistence: Persistence | undefined;
  readonly #ttl: TtlMonitor;
  readonly #log: (line: string) => void;
  #env!: CommandEnvironment;
  #nextConnectionId = 1;
  #host = '127.0.0.1';
  #port = 0;
  #stopping: Promise<void> | undefined;

  private constructor(options: StartOptions) {
    this.#log = options.log ?? (() => {});
    this.#authEnabled = options.auth !== undefined;
    this.#dispatcher = createDispatcher(this.#log);
    if (options.dbpath) {
      const persistenceOptions: import('../storage/PersistenceTypes.js').PersistenceOptions = {
        dir: options.dbpath,
        log: this.#log,
      };
      if (options.compactMinBytes !== undefined) persistenceOptions.compactMinBytes = options.compactMinBytes;
      if (options.compactIntervalMs !== undefined)
        persistenceOptions.compactIntervalMs = options.compactIntervalMs;
      if (options.slowFlushMs !== undefined) persistenceOptions.slowFlushMs = options.slowFlushMs;
      if (options.journalCommitIntervalMs !== undefined)
        persistenceOptions.journalCommitIntervalMs = options.journalCommitIntervalMs;
      this.#persistence = Persistence.open(this.#catalog, persistenceOptions);
      const r = this.#persistence.report;
      this.#log(
        `recovered ${r.documents} documents from ${options.dbpath} in ${r.ms} ms (snapshot ${r.snapshotGeneration}, ${r.recordsReplayed} journal records${r.indexesRebuilt > 0 ? `, indexes of ${r.indexesRebuilt} collections rebuilt` : ''})`,
      );
    }
    const commit = this.#persistence ? () => this.#persistence!.commit() : () => Promise.resolve();
    this.#ttl = new TtlMonitor(this.#catalog, commit, this.#log);
    this.#ttl.start(options.ttlIntervalMs ?? 60_000);
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  /** Opens (and recovers) the store, then listens. */
  static async start(options: StartOptions = {}): Promise<EmbeddedServer> {
    const server = new EmbeddedServer(options);
    try {
      await server.#prepareUsers(options.auth, options.users ?? []);
      await server.#listen(options.port ?? 27017, options.host ?? '127.0.0.1');
    } catch (error) {
      await server.#shutdown();
      throw error;
    }
    return server;
  }

  get uri(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `mongodb://${host}:${this.#port}/`;
  }

  /** The users of the store (for tests). */
  get users(): UserStore {
    return this.#users;
  }

  get host(): string {
    return this.#host;
  }

  get port(): number {
    return this.#port;
  }

  /** The data catalog (for tests and the benchmark). */
  get catalog(): Catalog {
    return this.#catalog;
  }

  /** The TTL monitor, so tests can sweep without waiting. */
  get ttl(): TtlMonitor {
    return this.#ttl;
  }

  /** The durable store, when started with a dbpath. */
  get persistence(): Persistence | undefined {
    return this.#persistence;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #prepareUsers(auth: StartOptions['auth'], users: StoreUser[]): Promise<void> {
    if (auth === undefined) {
      if (users.length > 0) throw new Error('users are given, but authentication is off: give auth as well');
      return;
    }
    const made: string[] = [];
    if (auth !== true) {
      const outcome = this.#users.ensureRoot(auth.username, auth.password);
      if (outcome !== 'unchanged') made.push(`root user ${auth.username}@admin ${outcome}`);
    }
    for (const user of users) {
      const unknown = user.roles.find((grant) => !isKnownRole(grant));
      if (unknown)
        throw new Error(`user ${user.username}@${user.db}: unknown role ${unknown.role}@${unknown.db}`);
      const outcome = this.#users.ensureUser(user.db, user.username, user.password, user.roles);
      if (outcome !== 'unchanged') made.push(`user ${user.username}@${user.db} ${outcome}`);
    }
    if (made.length > 0) {
      await (this.#persistence?.commit() ?? Promise.resolve());
      for (const line of made) this.#log(line);
    }
    if (this.#users.isEmpty) {
      throw new Error(
        'authentication is on but the store has no user: give a root user (EMBEDDED_MONGO_ROOT_USERNAME and EMBEDDED_MONGO_ROOT_PASSWORD) or run with --noauth',
      );
    }
  }

  async #listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as net.AddressInfo;
    this.#host = host;
    this.#port = address.port;
    this.#env = {
      catalog: this.#catalog,
      cursors: this.#cursors,
      commit: this.#persistence ? () => this.#persistence!.commit() : () => Promise.resolve(),
      commitSoon: this.#persistence ? () => this.#persistence!.commitSoon() : () => {},
      startedAt: new Date(),
      host: this.#host,
      port: this.#port,
      durable: this.#persistence !== undefined,
      users: this.#users,
      authEnabled: this.#authEnabled,
      sessions: new LocalSessions(),
    };
  }

  #accept(socket: net.Socket): void {
    if (this.#stopping) {
      socket.destroy();
      return;
    }
    const connection = new Connection(
      this.#nextConnectionId++,
      socket,
      this.#dispatcher,
      this.#env,
      this.#log,
    );
    this.#connections.add(connection);
    socket.on('close', () => this.#connections.delete(connection));
  }

  async #shutdown(): Promise<void> {
    this.#ttl.stop();
    // An index build would go on for seconds after the server is gone; its client is told it stopped.
    for (const coll of this.#catalog.allCollections()) coll.abortIndexBuilds('the server is shutting down');
    const closed = new Promise<void>((resolve) => {
      if (!this.#server.listening) resolve();
      else this.#server.close(() => resolve());
    });
    // Let requests already being processed finish (their writes get acknowledged), then close.
    await Promise.race([
      Promise.all([...this.#connections].map((c) => c.idle)),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]);
    for (const connection of this.#connections) connection.close();
    await closed;
    this.#cursors.close();
    await this.#persistence?.close();
  }
}
