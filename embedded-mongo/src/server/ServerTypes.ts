/** Options of `start()` (the CLI maps mongod's flags onto them). */
export interface StartOptions {
  /** TCP port; 0 picks a free one. Default 27017. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Directory for durable data; without it data lives in memory only. */
  dbpath?: string;
  /** How often expired TTL documents are deleted. Default 60 s. */
  ttlIntervalMs?: number;
  /** Journal size that triggers compaction into a snapshot, in a quiet spell (busy: twice that). Default 256 MiB. */
  compactMinBytes?: number;
  /** How often the store checks whether it is quiet and its journal worth compacting. Default 60 s. */
  compactIntervalMs?: number;
  /** Longest time a write acknowledged with `w: 1` (no `j`) waits for the journal (mongod's `--journalCommitInterval`). Default 100 ms. */
  journalCommitIntervalMs?: number;
  /** Journal flushes slower than this are logged. Default 100 ms. */
  slowFlushMs?: number;
  /**
   * Require SCRAM-SHA-256 authentication on every connection (mongod's `--auth`). With credentials, that user
   * is made current as a root user of `admin` before the server listens (created if missing, its password set
   * if different); with `true`, the store must already hold a user. Default: no authentication.
   */
  auth?: true | StoreCredentials;
  /**
   * Users made current before the server listens (created, or their password and roles set when they differ),
   * with authentication on: the services' own users, each with only the roles it needs, so that no service
   * connects as root.
   */
  users?: StoreUser[];
  /** Receives one-line log messages. Default: none. */
  log?: (line: string) => void;
}

/** A user name and password for the store's root user. */
export interface StoreCredentials {
  username: string;
  password: string;
}

/** A user of `db` (usually `admin`, as mongod's operators define them) with exactly `roles`. */
export interface StoreUser extends StoreCredentials {
  db: string;
  roles: { role: string; db: string }[];
}

/** A running server. */
export interface RunningServer {
  /** Connection string for the driver, e.g. `mongodb://127.0.0.1:27017/`. */
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections, closes the open ones and flushes the journal. */
  stop(): Promise<void>;
}
