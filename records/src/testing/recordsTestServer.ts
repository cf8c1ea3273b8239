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
import type { FhirOutbox } from '../fhir/push/FhirOutbox.js';
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
  /** The database this server uses: another server can be started on it (`sameDatabaseAs`). */
  databaseUri: string;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<ApiAnswer<T>>;
  stop(): Promise<void>;
}

/**
 * The real records app over HTTP on loopback, on the embedded store (in memory) — or, when MONGODB_URI is
 * set, on that server in a database of its own that is dropped afterwards, so both run the same tests.
 * With `sameDatabaseAs`, a second node of the same service: the other server's database and signing key,
 * which the first server keeps (and drops) however this one stops.
 */
export async function startRecordsTestServer(
  auth = { refreshTtlHours: 12, maxFailedLogins: 5, lockoutMinutes: 15 },
  logger: Logger = createLogger('records-test', 'silent'),
  fhir: FhirSettings & { fhirOutbox?: (models: Models) => FhirOutbox } = {},
  sameDatabaseAs?: Pick<RecordsTestServer, 'databaseUri' | 'signingKey'>,
): Promise<RecordsTestServer> {
  const external = sameDatabaseAs ? undefined : process.env.MONGODB_URI;
  const embedded = external || sameDatabaseAs ? undefined : await startEmbeddedMongo({ port: 0 });
  let databaseUri = sameDatabaseAs?.databaseUri;
  if (!databaseUri) {
    const base = new URL(external ?? embedded!.uri);
    base.pathname = `/telemed_test_${randomBytes(4).toString('hex')}`;
    databaseUri = base.toString();
  }
  const connection = await connectDatabase(databaseUri);
  const privateKey = sameDatabaseAs?.signingKey ?? generateKeyPairSync('ed25519').privateKey;
  const tokens = new TokenIssuer(privateKey, 900);
  const { fhirOutbox, ...fhirSettings } = fhir;
  const { app, close } = createRecordsApp({
    connection,
    logger,
    tokens,
    auth,
    fhir: fhirSettings,
    fhirOutbox: fhirOutbox?.(registerModels(connection)),
  });
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
    databaseUri,
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
      await close();
      if (external) await connection.dropDatabase();
      await connection.close();
      await embedded?.stop();
    },
  };
}
