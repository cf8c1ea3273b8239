import { Binary, type Document } from 'bson';
import { isKnownRole, type RoleGrant } from '../auth/roles.js';
import { failed, ScramConversation } from '../auth/ScramConversation.js';
import { SCRAM_SHA_256, type StoredUser } from '../auth/UserStore.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { ErrorCode } from './errorCodes.js';
import { MongoCommandError } from './MongoCommandError.js';

/** The fields `hello` adds for a client that brings credentials: its mechanisms, and speculative auth. */
export function helloAuthFields(ctx: CommandContext): Document {
  const fields: Document = {};
  const asked = ctx.body.saslSupportedMechs;
  if (typeof asked === 'string') {
    const dot = asked.indexOf('.');
    if (dot > 0 && ctx.env.users.find(asked.slice(0, dot), asked.slice(dot + 1)))
      fields.saslSupportedMechs = [SCRAM_SHA_256];
  }
  const speculative = ctx.body.speculativeAuthenticate;
  if (typeof speculative === 'object' && speculative !== null && (speculative as Document).saslStart) {
    const request = speculative as Document;
    // As in mongod, a speculative attempt that fails leaves hello's answer as if none was made.
    try {
      const db = typeof request.db === 'string' ? request.db : ctx.db;
      const { ok: _ok, ...reply } = saslStart({ ...ctx, db, body: request });
      fields.speculativeAuthenticate = reply;
    } catch {}
  }
  return fields;
}

function payloadOf(body: Document): Buffer {
  const payload = body.payload;
  if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position));
  if (typeof payload === 'string') return Buffer.from(payload, 'base64');
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  throw MongoCommandError.typeMismatch("BSON field 'payload' is missing or of the wrong type");
}

function saslStart(ctx: CommandContext): Document {
  const scram = ScramConversation.start(ctx.env.users, ctx.db, ctx.body.mechanism, payloadOf(ctx.body));
  const skipEmptyExchange = (ctx.body.options as Document | undefined)?.skipEmptyExchange === true;
  const conversationId = ctx.client.begin(scram, skipEmptyExchange);
  return { conversationId, done: false, payload: new Binary(scram.serverFirst), ok: 1 };
}

function saslContinue(ctx: CommandContext): Document {
  const conversation = ctx.client.conversation(ctx.body.conversationId);
  if (!conversation) throw new MongoCommandError(ErrorCode.ProtocolError, 'No SASL session state found');
  if (conversation.verified) {
    // The client's empty last step, when it did not ask to skip it (options.skipEmptyExchange).
    ctx.client.endConversation();
    return { conversationId: conversation.id, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1 };
  }
  let serverFinal: Buffer;
  try {
    serverFinal = conversation.scram.finish(payloadOf(ctx.body));
  } catch (error) {
    ctx.client.endConversation();
    throw error instanceof MongoCommandError ? error : failed();
  }
  ctx.client.authenticated(conversation.id);
  if (conversation.skipEmptyExchange) ctx.client.endConversation();
  return {
    conversationId: conversation.id,
    done: conversation.skipEmptyExchange,
    payload: new Binary(serverFinal),
    ok: 1,
  };
}

function requireUserName(ctx: CommandContext): string {
  const name = ctx.body[ctx.name];
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0'))
    throw MongoCommandError.badValue(`'${ctx.name}' must be a non-empty user name`);
  if (ctx.db === '$external' || ctx.db === 'local' || ctx.db === 'config')
    throw MongoCommandError.badValue(`Cannot create or manage SCRAM users on the ${ctx.db} database`);
  return name;
}

function requirePassword(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw MongoCommandError.badValue("'pwd' must be a non-empty string");
  return value;
}

/** Roles as given (`"readWrite"` means that role on the command's database), each one known. */
function parseRoles(value: unknown, db: string): RoleGrant[] {
  if (!Array.isArray(value)) throw MongoCommandError.badValue("'roles' must be an array");
  return value.map((entry) => {
    const grant =
      typeof entry === 'string'
        ? { role: entry, db }
        : typeof entry === 'object' &&
            entry !== null &&
            typeof entry.role === 'string' &&
            typeof entry.db === 'string'
          ? { role: entry.role as string, db: entry.db as string }
          : undefined;
    if (!grant) throw MongoCommandError.badValue('each role must be a name or a { role, db } document');
    if (!isKnownRole(grant))
      throw new MongoCommandError(ErrorCode.RoleNotFound, `Could not find role: ${grant.role}@${grant.db}`);
    return grant;
  });
}

function checkMechanisms(body: Document): void {
  if (body.digestPassword === true)
    throw MongoCommandError.badValue('Use of SCRAM-SHA-256 requires undigested passwords');
  const mechanisms = body.mechanisms;
  if (mechanisms === undefined) return;
  if (!Array.isArray(mechanisms) || mechanisms.length === 0 || mechanisms.some((m) => m !== SCRAM_SHA_256))
    throw MongoCommandError.badValue(`mechanisms field must be a non-empty subset of ["${SCRAM_SHA_256}"]`);
}

function createUser(ctx: CommandContext): Document {
  const name = requireUserName(ctx);
  checkMechanisms(ctx.body);
  const password = requirePassword(ctx.body.pwd);
  const roles = parseRoles(ctx.body.roles, ctx.db);
  const customData = ctx.body.customData;
  if (customData !== undefined && (typeof customData !== 'object' || customData === null))
    throw MongoCommandError.badValue("'customData' must be a document");
  ctx.env.users.create(ctx.db, name, password, roles, customData as Document | undefined);
  return { ok: 1 };
}

function updateUser(ctx: CommandContext): Document {
  const name = requireUserName(ctx);
  checkMechanisms(ctx.body);
  const changes: { password?: string; roles?: RoleGrant[] } = {};
  if (ctx.body.pwd !== undefined) changes.password = requirePassword(ctx.body.pwd);
  if (ctx.body.roles !== undefined) changes.roles = parseRoles(ctx.body.roles, ctx.db);
  if (!ctx.env.users.update(ctx.db, name, changes))
    throw new MongoCommandError(ErrorCode.UserNotFound, `Could not find user "${name}" for db "${ctx.db}"`);
  return { ok: 1 };
}

function dropUser(ctx: CommandContext): Document {
  const name = requireUserName(ctx);
  if (!ctx.env.users.drop(ctx.db, name))
    throw new MongoCommandError(ErrorCode.UserNotFound, `Could not find user "${name}" for db "${ctx.db}"`);
  return { ok: 1 };
}

/** A user as usersInfo shows it: roles and mechanisms, never the stored keys. */
function describe(user: StoredUser): Document {
  return {
    _id: user._id,
    userId: user.userId,
    user: user.user,
    db: user.db,
    roles: user.roles,
    ...(user.customData ? { customData: user.customData } : {}),
    mechanisms: Object.keys(user.credentials),
  };
}

function usersInfo(ctx: CommandContext): Document {
  const asked = ctx.body.usersInfo;
  let users: StoredUser[];
  if (asked === 1 || asked === true) users = ctx.env.users.list(ctx.db);
  else if (typeof asked === 'object' && asked !== null && (asked as Document).forAllDBs === true)
    users = ctx.env.users.list();
  else {
    const wanted = (Array.isArray(asked) ? asked : [asked]).map((entry) =>
      typeof entry === 'string'
        ? { user: entry, db: ctx.db }
        : (entry as { user?: unknown; db?: unknown } | null),
    );
    users = [];
    for (const entry of wanted) {
      if (typeof entry?.user !== 'string' || typeof entry.db !== 'string')
        throw MongoCommandError.badValue(
          "'usersInfo' must be 1, a user name, { user, db } or an array of them",
        );
      const found = ctx.env.users.find(entry.db, entry.user);
      if (found) users.push(found);
    }
  }
  return { users: users.map(describe), ok: 1 };
}

/** SCRAM-SHA-256 authentication and the user management commands. */
export function registerAuthCommands(dispatcher: CommandDispatcher): void {
  dispatcher.register('saslStart', saslStart, { readOnly: true });
  dispatcher.register('saslContinue', saslContinue, { readOnly: true });
  dispatcher.register(
    'logout',
    (ctx) => {
      ctx.client.logout();
      return { ok: 1 };
    },
    { readOnly: true },
  );
  dispatcher.register('createUser', createUser);
  dispatcher.register('updateUser', updateUser);
  dispatcher.register('dropUser', dropUser);
  dispatcher.register('usersInfo', usersInfo, { readOnly: true });
}
