#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EmbeddedServer } from './server/EmbeddedServer.js';
import { growHeapInLargeSteps } from './server/growHeapInLargeSteps.js';
import type { StartOptions, StoreCredentials } from './server/ServerTypes.js';

const usage = `usage: embedded-mongo [--port N] [--bind_ip HOST] [--bind_ip_all] [--dbpath DIR] [--journalCommitInterval MS] [--noauth]

  --port                  TCP port (default 27017)
  --bind_ip               address to listen on (default 127.0.0.1)
  --bind_ip_all           listen on all IPv4 addresses
  --dbpath                directory for durable data; without it data is kept in memory only
  --journalCommitInterval longest time, 1-500 ms, a write acknowledged before reaching the journal
                          (write concern w: 1 without j) waits for it (default 100)
  --auth                  require SCRAM-SHA-256 authentication (the default)
  --noauth                accept every client without authentication (for tests only)

  With authentication, the root user of admin is taken from the environment, never from the command line:
  EMBEDDED_MONGO_ROOT_USERNAME and EMBEDDED_MONGO_ROOT_PASSWORD (or EMBEDDED_MONGO_ROOT_PASSWORD_FILE, a file
  holding the password). It is created if missing and its password set if different; without them the store
  must already hold a user.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

/** The root user from the environment (as the official image's MONGO_INITDB_ROOT_*), if one is given. */
function rootCredentials(): StoreCredentials | undefined {
  const username = process.env.EMBEDDED_MONGO_ROOT_USERNAME;
  const passwordFile = process.env.EMBEDDED_MONGO_ROOT_PASSWORD_FILE;
  let password = process.env.EMBEDDED_MONGO_ROOT_PASSWORD;
  if (passwordFile) {
    try {
      password = readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      fail(`cannot read EMBEDDED_MONGO_ROOT_PASSWORD_FILE: ${(error as Error).message}`);
    }
  }
  if (!username && !password) return undefined;
  if (!username || !password)
    fail('EMBEDDED_MONGO_ROOT_USERNAME and a password (EMBEDDED_MONGO_ROOT_PASSWORD or _FILE) go together');
  return { username, password };
}

async function main(): Promise<void> {
  let values: {
    port?: string;
    bind_ip?: string;
    bind_ip_all?: boolean;
    dbpath?: string;
    journalCommitInterval?: string;
    help?: boolean;
    quiet?: boolean;
    auth?: boolean;
    noauth?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        bind_ip: { type: 'string' },
        bind_ip_all: { type: 'boolean' },
        dbpath: { type: 'string' },
        journalCommitInterval: { type: 'string' },
        quiet: { type: 'boolean' },
        auth: { type: 'boolean' },
        noauth: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = values.port === undefined ? 27017 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
  // mongod accepts a comma-separated list; this server listens on the first address.
  const host = values.bind_ip_all ? '0.0.0.0' : (values.bind_ip?.split(',')[0]?.trim() ?? '127.0.0.1');
  const log = values.quiet
    ? () => {}
    : (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const options: StartOptions = { port, host, log };
  if (values.dbpath) options.dbpath = values.dbpath;
  if (values.journalCommitInterval !== undefined) {
    const ms = Number(values.journalCommitInterval);
    if (!Number.isInteger(ms) || ms < 1 || ms > 500)
      fail(`invalid --journalCommitInterval ${values.journalCommitInterval} (1-500 ms)`);
    options.journalCommitIntervalMs = ms;
  }
  if (values.auth && values.noauth) fail('--auth and --noauth cannot both be given');
  if (!values.noauth) options.auth = rootCredentials() ?? true;
  // Not mongod flags: they let tests, benchmarks and operators make compaction happen sooner.
  const compactBytes = Number(process.env.EMBEDDED_MONGO_COMPACT_BYTES);
  if (compactBytes > 0) options.compactMinBytes = compactBytes;
  const compactIntervalMs = Number(process.env.EMBEDDED_MONGO_COMPACT_INTERVAL_MS);
  if (compactIntervalMs > 0) options.compactIntervalMs = compactIntervalMs;
  const slowFlushMs = Number(process.env.EMBEDDED_MONGO_SLOW_FLUSH_MS);
  if (slowFlushMs > 0) options.slowFlushMs = slowFlushMs;
  growHeapInLargeSteps();
  let server: EmbeddedServer;
  try {
    server = await EmbeddedServer.start(options);
  } catch (error) {
    process.stderr.write(`embedded-mongo: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`listening on ${server.host}:${server.port}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`embedded-mongo: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
