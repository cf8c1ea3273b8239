import type { Document } from 'bson';
import { formatValue } from '../bson/formatValue.js';
import type { CommandContext } from '../commands/CommandTypes.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import type { Privileges } from './roles.js';
import { USERS_COLLECTION } from './UserStore.js';

/** mongod's commands that answer without authentication (`requiresAuth() == false`). */
const AUTH_FREE = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'authenticate',
  'logout',
  'ping',
  'listCommands',
  'connectionStatus',
  'whatsmyuri',
]);
/** Any authenticated user may run these (its own sessions; transactions are refused anyway). */
const ANY_USER = new Set([
  'endSessions',
  'refreshSessions',
  'killSessions',
  'killAllSessions',
  'commitTransaction',
  'abortTransaction',
  // Lists only the databases the user may read (mongod's authorizedDatabases).
  'listDatabases',
]);
const READS = new Set([
  'find',
  'getMore',
  'killCursors',
  'count',
  'distinct',
  'explain',
  'listIndexes',
  'listCollections',
  'collStats',
  'dbStats',
]);
const WRITES = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
]);
/** Pipeline fields that name another collection. */
const COLLECTION_FIELDS = new Set(['from', 'coll', '$out', 'into', '$merge']);

/**
 * Refuses a command the connection may not run, with mongod's errors: code 13 Unauthorized, "command X
 * requires authentication" before any login, "not authorized on <db> to execute command" after. Commands not
 * classified here need root: nothing is granted that no role asked for. `admin.system.users` is reachable only
 * through the user commands, whoever asks, so stored keys never leave the server and no user is planted.
 */
export function authorizeCommand(ctx: CommandContext): void {
  const { name, body, db, env } = ctx;
  if (touchesUsersCollection(name, body)) throw notAuthorized(ctx);
  if (!env.authEnabled || AUTH_FREE.has(name)) return;
  if (!ctx.client.user)
    throw new MongoCommandError(ErrorCode.Unauthorized, `command ${name} requires authentication`);
  const privileges = ctx.client.privileges(env.users);
  if (!isAllowed(name, body, db, privileges)) throw notAuthorized(ctx);
}

function isAllowed(name: string, body: Document, db: string, privileges: Privileges): boolean {
  if (privileges.root) return true;
  if (ANY_USER.has(name)) return true;
  if (READS.has(name)) return privileges.mayRead(db);
  if (WRITES.has(name)) return privileges.mayWrite(db);
  if (name === 'aggregate') {
    const target = outputDatabase(body, db);
    return privileges.mayRead(db) && (target === undefined || privileges.mayWrite(target));
  }
  if (name === 'renameCollection') {
    const from = databaseOf(body.renameCollection);
    const to = databaseOf(body.to);
    return from !== undefined && to !== undefined && privileges.mayWrite(from) && privileges.mayWrite(to);
  }
  return false;
}

/** The database an aggregation's `$out`/`$merge` writes to, if it writes. */
function outputDatabase(body: Document, db: string): string | undefined {
  const pipeline = Array.isArray(body.pipeline) ? body.pipeline : [];
  const last = pipeline.at(-1) as Document | undefined;
  const stage = last?.$out ?? last?.$merge;
  if (stage === undefined) return undefined;
  if (typeof stage === 'object' && stage !== null) {
    const target = (stage as Document).into ?? stage;
    if (typeof target === 'object' && target !== null && typeof (target as Document).db === 'string')
      return (target as Document).db as string;
  }
  return db;
}

function databaseOf(namespace: unknown): string | undefined {
  if (typeof namespace !== 'string') return undefined;
  const dot = namespace.indexOf('.');
  return dot > 0 ? namespace.slice(0, dot) : undefined;
}

function touchesUsersCollection(name: string, body: Document): boolean {
  if (body[name] === USERS_COLLECTION) return true;
  if (name === 'getMore' && body.collection === USERS_COLLECTION) return true;
  if (name === 'renameCollection')
    return [body.renameCollection, body.to].some(
      (ns) => typeof ns === 'string' && ns.endsWith(`.${USERS_COLLECTION}`),
    );
  return name === 'aggregate' && namesUsersCollection(body.pipeline, 0);
}

/** Whether a pipeline (with its sub-pipelines) reads from or writes to a `system.users` collection. */
function namesUsersCollection(value: unknown, depth: number): boolean {
  if (depth > 100 || typeof value !== 'object' || value === null) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (COLLECTION_FIELDS.has(key) && inner === USERS_COLLECTION) return true;
    if (namesUsersCollection(inner, depth + 1)) return true;
  }
  return false;
}

function notAuthorized(ctx: CommandContext): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.Unauthorized,
    `not authorized on ${ctx.db} to execute command { ${ctx.name}: ${formatValue(ctx.body[ctx.name])} }`,
  );
}
