import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { start as startEmbeddedMongo } from '@telemed/embedded-mongo';
import { createLogger, type Logger } from '@telemed/service-kit';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { TokenIssuer } from '../auth/TokenIssuer.js';
import { createRecordsApp, type FhirSettings } from '../createRecordsApp.js';
import { connectDatabase } from '../db/connectDatabase.js';
import { createAppServer } from '../http/createAppServer.js';
import { type Models, registerModels } from '../models/registerModels.js';
import { backfillSearchTerms } from '../organizations/backfillSearchTerms.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read answers of every shape; each assertion checks what it needs.
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  rawBody?: Buffer | string;
  headers?: Record<string, string>;
}

export interface RecordsTestServer {
  baseUrl: string;
  /** The Express app being served, for tests that walk its routes. */
  app: Express;
  connection: Connection;
  models: Models;
  tokens: TokenIssuer;
  /** The key tokens are signed with: tests forge what the issuer never would (an expired token). */
  signingKey: KeyObject;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<ApiAnswer<T>>;
  stop(): Promise<void>;
}

/**
 * The real records app over HTTP on loopback, on the embedded store (in memory) — or, when MONGODB_URI is
 * set, on that server in a database of its own that is dropped afterwards, so both run the same tests.
 */
export async function startRecordsTestServer(
  auth = { refreshTtlHours: 12, maxFailedLogins: 5, lockoutMinutes: 15 },
  logger: Logger = createLogger('records-test', 'silent'),
  fhir: FhirSettings = {},
): Promise<RecordsTestServer> {
  const external = process.env.MONGODB_URI;
  const embedded = external ? undefined : await startEmbeddedMongo({ port: 0 });
  const dbName = `telemed_test_${randomBytes(4).toString('hex')}`;
  const base = new URL(external ?? embedded!.uri);
  base.pathname = `/${dbName}`;
  const connection = await connectDatabase(base.toString());
  const { privateKey } = generateKeyPairSync('ed25519');
  const tokens = new TokenIssuer(privateKey, 900);
  const app = createRecordsApp({ connection, logger, tokens, auth, fhir });
  await connection.syncIndexes();
  await backfillSearchTerms(registerModels(connection));
  const server: Server = createAppServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    app,
    connection,
    models: registerModels(connection),
    tokens,
    signingKey: privateKey,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { 'accept-language': 'en', ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | Buffer | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      if (res.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (external) await connection.dropDatabase();
      await connection.close();
      await embedded?.stop();
    },
  };
}
