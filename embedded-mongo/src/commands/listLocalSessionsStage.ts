import type { Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';
import type { CommandContext } from './CommandTypes.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';

function userName(ctx: CommandContext): string | undefined {
  const user = ctx.client.user;
  return user ? `${user.user}@${user.db}` : undefined;
}

/**
 * The documents `$listLocalSessions` starts a pipeline with, as a standalone 7.0 answers: `{}` gives the
 * caller's own sessions, `{allUsers: true}` everyone's and `{users: [{user, db}]}` those users'. Listing
 * another user's sessions needs the cluster privilege (root) when authentication is on.
 */
export function listLocalSessions(ctx: CommandContext, spec: unknown, onCollection: boolean): Document[] {
  if (onCollection) {
    throw new MongoCommandError(
      ErrorCode.InvalidNamespace,
      '$listLocalSessions must be run against the database with {aggregate: 1}, not a collection',
    );
  }
  if (!isPlainObject(spec)) {
    throw MongoCommandError.typeMismatch('$listLocalSessions options must be specified in an object');
  }
  const options = spec as Document;
  for (const key of Object.keys(options)) {
    if (key !== 'allUsers' && key !== 'users')
      throw new MongoCommandError(40415, `BSON field '$listSessions.${key}' is an unknown field.`);
  }
  if (options.allUsers === true && options.users !== undefined) {
    throw MongoCommandError.badValue('$listLocalSessions: allUsers and users cannot both be specified');
  }
  const own = userName(ctx);
  let owners: Set<string> | undefined;
  if (options.allUsers !== true) {
    if (options.users === undefined) owners = new Set([own ?? '']);
    else if (Array.isArray(options.users)) {
      owners = new Set(
        options.users.map((entry) => {
          if (!isPlainObject(entry) || typeof entry.user !== 'string' || typeof entry.db !== 'string')
            throw MongoCommandError.typeMismatch(
              "BSON field '$listSessions.users' must be an array of {user, db}",
            );
          return `${entry.user}@${entry.db}`;
        }),
      );
    } else
      throw MongoCommandError.typeMismatch(
        "BSON field '$listSessions.users' is the wrong type, expected type 'array'",
      );
  }
  const onlyOwn = owners !== undefined && [...owners].every((owner) => owner === (own ?? ''));
  if (ctx.env.authEnabled && !onlyOwn && !ctx.client.privileges(ctx.env.users).root) {
    throw new MongoCommandError(ErrorCode.Unauthorized, 'Unauthorized to list sessions of other users');
  }
  return ctx.env.sessions.list(owners);
}

/** Records the command's session for `$listLocalSessions`, as mongod's session cache does. */
export function touchSession(ctx: CommandContext): void {
  if (ctx.body.lsid !== undefined) ctx.env.sessions.touch(ctx.body.lsid, userName(ctx));
}

/** endSessions: forgets the caller's sessions named. */
export function endSessions(ctx: CommandContext): Document {
  const ids = ctx.body.endSessions;
  if (Array.isArray(ids)) ctx.env.sessions.end(ids, userName(ctx));
  return { ok: 1 };
}
