import type { Document } from 'bson';
import { authorizeCommand } from '../auth/authorizeCommand.js';
import type { ClientAuth } from '../auth/ClientAuth.js';
import type { WireRequest } from '../wire/WireTypes.js';
import type { CommandEnvironment, CommandHandler } from './CommandTypes.js';
import { ErrorCode } from './errorCodes.js';
import { touchSession } from './listLocalSessionsStage.js';
import { MongoCommandError } from './MongoCommandError.js';

/** What a client is told of a fault of this server; the details are in the server's log. */
export const INTERNAL_ERROR_MESSAGE = 'an internal error occurred; the details are in the server log';

/** Routes a command to its handler and turns every failure into a MongoDB error reply. */
export class CommandDispatcher {
  readonly #handlers = new Map<string, CommandHandler>();
  readonly #readOnly = new Set<string>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void = () => {}) {
    this.#log = log;
  }

  /**
   * Adds a handler. A `readOnly` command never changes data, so its reply need not wait for
   * the journal flush of other clients' writes (mongod does not make reads wait either).
   */
  register(names: string | string[], handler: CommandHandler, options: { readOnly?: boolean } = {}): void {
    for (const name of Array.isArray(names) ? names : [names]) {
      this.#handlers.set(name, handler);
      if (options.readOnly) this.#readOnly.add(name);
      else this.#readOnly.delete(name);
    }
  }

  /** Names of every registered command. */
  get commandNames(): string[] {
    return [...this.#handlers.keys()];
  }

  async dispatch(
    request: WireRequest,
    env: CommandEnvironment,
    connectionId: number,
    client: ClientAuth,
  ): Promise<Document | Buffer> {
    const name = Object.keys(request.body)[0];
    try {
      if (!name) throw new MongoCommandError(ErrorCode.FailedToParse, 'Empty command');
      const handler = this.#handlers.get(name);
      if (!handler) throw new MongoCommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
      const ctx = { env, db: request.db, body: request.body, request, connectionId, client, name };
      authorizeCommand(ctx);
      touchSession(ctx);
      rejectTransactions(request.body);
      const reply = await handler(ctx);
      if (!this.#readOnly.has(name)) await settle(env, request.body);
      return reply;
    } catch (error) {
      // Writes that happened before a failure (ordered batches) must still be durable.
      try {
        await settle(env, request.body);
      } catch (commitError) {
        return this.#reply(name, commitError);
      }
      return this.#reply(name, error);
    }
  }

  #reply(name: string | undefined, error: unknown): Document {
    if (error instanceof MongoCommandError) return error.toReply();
    // A fault of this server: the log gets the stack, the client a message that exposes nothing of it.
    this.#log(`command ${name} failed: ${(error as Error).stack ?? error}`);
    return new MongoCommandError(ErrorCode.InternalError, INTERNAL_ERROR_MESSAGE).toReply();
  }
}

/**
 * Acknowledges a write as mongod does on a standalone server: once it is in the on-disk journal when the
 * write concern asks for that (`j: true`, `fsync: true`, `w: "majority"`, or none given: the implicit default
 * is majority), else once it is applied in memory (`w: <number>` without `j`, or `j: false`), the journal then
 * following within the commit interval (mongod's `--journalCommitInterval`).
 */
function settle(env: CommandEnvironment, body: Document): Promise<void> {
  if (waitsForJournal(body.writeConcern)) return env.commit();
  env.commitSoon();
  return Promise.resolve();
}

function waitsForJournal(writeConcern: unknown): boolean {
  if (typeof writeConcern !== 'object' || writeConcern === null) return true;
  const { w, j, fsync } = writeConcern as { w?: unknown; j?: unknown; fsync?: unknown };
  if (j === true || fsync === true) return true;
  if (j === false) return false;
  return typeof w !== 'number';
}

function rejectTransactions(body: Document): void {
  if (body.txnNumber !== undefined || body.startTransaction !== undefined || body.autocommit !== undefined) {
    throw new MongoCommandError(
      ErrorCode.IllegalOperation,
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
}
