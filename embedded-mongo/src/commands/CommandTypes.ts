import type { Document } from 'bson';
import type { ClientAuth } from '../auth/ClientAuth.js';
import type { UserStore } from '../auth/UserStore.js';
import type { Catalog } from '../storage/Catalog.js';
import type { WireRequest } from '../wire/WireTypes.js';
import type { CursorManager } from './CursorManager.js';
import type { LocalSessions } from './LocalSessions.js';

/** Server-wide state the command handlers work on. */
export interface CommandEnvironment {
  readonly catalog: Catalog;
  readonly cursors: CursorManager;
  /** Resolves when every change so far is durable (immediately in memory). */
  commit(): Promise<void>;
  /** Makes every change so far durable within the journal commit interval, without waiting for it. */
  commitSoon(): void;
  readonly startedAt: Date;
  readonly host: string;
  readonly port: number;
  /** Whether the data lives on disk (`--dbpath`). */
  readonly durable: boolean;
  /** The users of `admin.system.users`. */
  readonly users: UserStore;
  /** Whether commands need an authenticated connection (mongod's `--auth`). */
  readonly authEnabled: boolean;
  /** The logical sessions commands have named (`$listLocalSessions`). */
  readonly sessions: LocalSessions;
}

/** One command invocation. */
export interface CommandContext {
  readonly env: CommandEnvironment;
  readonly db: string;
  readonly body: Document;
  readonly request: WireRequest;
  readonly connectionId: number;
  /** Who the connection is authenticated as. */
  readonly client: ClientAuth;
  /** The command's name as sent (first key of the body). */
  readonly name: string;
}

/** A handler answers with a reply document, or with an already serialized reply. */
export type CommandHandler = (ctx: CommandContext) => Document | Buffer | Promise<Document | Buffer>;
