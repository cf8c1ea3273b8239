import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger, RunningService } from '@telemed/service-kit';
import type { Config } from '@telemed/shared';
import { TokenIssuer } from './auth/TokenIssuer.js';
import { createRecordsApp } from './createRecordsApp.js';
import { connectDatabase } from './db/connectDatabase.js';
import { createAppServer } from './http/createAppServer.js';
import { registerModels } from './models/registerModels.js';
import { backfillSearchTerms } from './organizations/backfillSearchTerms.js';

export const recordsConfigVariables = [
  'HOST',
  'LOG_LEVEL',
  'DATA_DIR',
  'RECORDS_PORT',
  'RECORDS_WORKERS',
  'MONGODB_URI',
  'AUTH_SIGNING_KEY_FILE',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_HOURS',
  'LOGIN_MAX_FAILURES',
  'LOGIN_LOCKOUT_MINUTES',
] as const;
export type RecordsConfig = Config<(typeof recordsConfigVariables)[number]>;

export const defaultMongoUri = 'mongodb://127.0.0.1:27017/telemed';

export interface RunningRecordsService extends RunningService {
  url: string;
}

/** The token issuer, with its key: a key named by the operator must exist; the default one is made once. */
export function prepareSigningKey(config: RecordsConfig): TokenIssuer {
  const keyFile = config.AUTH_SIGNING_KEY_FILE ?? join(config.DATA_DIR, 'auth-signing-key.pem');
  return TokenIssuer.fromFile(keyFile, config.ACCESS_TOKEN_TTL_SECONDS, !config.AUTH_SIGNING_KEY_FILE);
}

/** Connects to the database, then serves the API; `stop` closes the listener and then the connection. */
export async function startRecordsService(
  config: RecordsConfig,
  logger: Logger,
): Promise<RunningRecordsService> {
  const tokens = prepareSigningKey(config);
  const connection = await connectDatabase(config.MONGODB_URI ?? defaultMongoUri);
  const app = createRecordsApp({
    connection,
    logger,
    tokens,
    auth: {
      refreshTtlHours: config.REFRESH_TOKEN_TTL_HOURS,
      maxFailedLogins: config.LOGIN_MAX_FAILURES,
      lockoutMinutes: config.LOGIN_LOCKOUT_MINUTES,
    },
  });
  await connection.syncIndexes();
  await backfillSearchTerms(registerModels(connection));
  const server = createAppServer(app).listen(config.RECORDS_PORT, config.HOST);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  logger.info({ url }, 'records service listening');
  return {
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}
