import os from 'node:os';
import type { Document } from 'bson';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE_BYTES, MAX_WRITE_BATCH_SIZE } from '../bson/bsonLimits.js';
import { helloAuthFields } from './authCommands.js';
import type { CommandDispatcher } from './CommandDispatcher.js';
import type { CommandContext } from './CommandTypes.js';
import { ErrorCode } from './errorCodes.js';
import { endSessions } from './listLocalSessionsStage.js';
import { MongoCommandError } from './MongoCommandError.js';

/** The MongoDB version whose wire protocol (maxWireVersion 21) this server speaks. */
export const SERVER_VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21;

const parameters: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: ['SCRAM-SHA-256'],
  maxBSONDepth: 100,
};

function hello(ctx: CommandContext): Document {
  // No topologyVersion: drivers then poll with plain hello instead of streaming (awaitable) hello.
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ...helloAuthFields(ctx),
    ok: 1,
  };
}

/** Handshake, liveness and server information commands. */
export function registerDiagnosticCommands(dispatcher: CommandDispatcher): void {
  dispatcher.register(['hello', 'isMaster', 'ismaster'], hello, { readOnly: true });
  dispatcher.register('ping', () => ({ ok: 1 }), { readOnly: true });
  dispatcher.register(['buildInfo', 'buildinfo'], () => ({
    version: SERVER_VERSION,
    gitVersion: 'embedded-mongo',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['embedded'],
    javascriptEngine: 'none',
    modules: [],
    ok: 1,
  }));
  dispatcher.register('getParameter', (ctx) => {
    const out: Document = {};
    const all =
      ctx.body.getParameter === '*' ||
      (typeof ctx.body.getParameter === 'object' && ctx.body.getParameter?.allParameters);
    for (const [key, value] of Object.entries(parameters))
      if (all || ctx.body[key] !== undefined) out[key] = value;
    if (Object.keys(out).length === 0)
      throw new MongoCommandError(ErrorCode.InvalidOptions, 'no option found to get');
    return { ...out, ok: 1 };
  });
  dispatcher.register('hostInfo', () => ({
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: 64,
      memSizeMB: Math.round(os.totalmem() / 1024 / 1024),
      numCores: os.cpus().length,
      cpuArch: os.arch(),
    },
    os: { type: os.type(), name: os.type(), version: os.release() },
    extra: {},
    ok: 1,
  }));
  dispatcher.register('serverStatus', (ctx) => {
    const mem = process.memoryUsage();
    const uptimeMillis = Date.now() - ctx.env.startedAt.getTime();
    return {
      host: `${os.hostname()}:${ctx.env.port}`,
      version: SERVER_VERSION,
      process: 'mongod',
      pid: process.pid,
      uptime: Math.floor(uptimeMillis / 1000),
      uptimeMillis,
      localTime: new Date(),
      mem: {
        bits: 64,
        resident: Math.round(mem.rss / 1024 / 1024),
        virtual: Math.round(mem.rss / 1024 / 1024),
      },
      storageEngine: {
        name: ctx.env.durable ? 'embedded-journal' : 'embedded-memory',
        persistent: ctx.env.durable,
      },
      metrics: { cursor: { open: { total: ctx.env.cursors.openCount } } },
      ok: 1,
    };
  });
  dispatcher.register('endSessions', endSessions);
  dispatcher.register(['refreshSessions', 'killSessions', 'killAllSessions'], () => ({
    ok: 1,
  }));
  dispatcher.register('whatsmyuri', () => ({ you: 'embedded', ok: 1 }));
  dispatcher.register('connectionStatus', (ctx) => {
    const user = ctx.client.user;
    const roles = user ? (ctx.env.users.find(user.db, user.user)?.roles ?? []) : [];
    return {
      authInfo: { authenticatedUsers: user ? [user] : [], authenticatedUserRoles: roles },
      ok: 1,
    };
  });
  dispatcher.register('getCmdLineOpts', (ctx) => ({
    argv: process.argv.slice(1),
    parsed: { net: { port: ctx.env.port, bindIp: ctx.env.host } },
    ok: 1,
  }));
  dispatcher.register('listCommands', () => {
    const commands: Document = {};
    for (const name of dispatcher.commandNames) commands[name] = { help: '' };
    return { commands, ok: 1 };
  });
  dispatcher.register(['commitTransaction', 'abortTransaction'], () => {
    throw new MongoCommandError(
      ErrorCode.IllegalOperation,
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  });
  dispatcher.register('authenticate', () => {
    throw new MongoCommandError(
      ErrorCode.MechanismUnavailable,
      'only SCRAM-SHA-256 (saslStart) authentication is supported by the embedded MongoDB server',
    );
  });
}
