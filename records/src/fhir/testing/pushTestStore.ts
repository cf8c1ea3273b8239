import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start as startEmbeddedMongo } from '@telemed/embedded-mongo';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../db/connectDatabase.js';
import { type Models, registerModels } from '../../models/registerModels.js';
import type { RecordsConfig } from '../../startRecordsService.js';
import { type FhirTestServer, startFhirTestServer } from '../../testing/fhirTestServer.js';

export interface PushTestStore {
  fhir: FhirTestServer;
  connection: Connection;
  models: Models;
  /** The records service's config as `main` reads it, on this store, pushing to this FHIR server. */
  config: (overrides: Partial<RecordsConfig>) => RecordsConfig;
  stop: () => Promise<void>;
}

/**
 * What a push test runs the records service on, as `npm start` does: an embedded store (database `database`),
 * a real FHIR server to push to and a data directory of its own.
 */
export async function startPushTestStore(database: string): Promise<PushTestStore> {
  const store = await startEmbeddedMongo({ port: 0 });
  const fhir = await startFhirTestServer();
  const dataDir = mkdtempSync(join(tmpdir(), `${database}-`));
  const uri = new URL(store.uri);
  uri.pathname = `/${database}`;
  const connection = await connectDatabase(uri.toString());
  const models = registerModels(connection);
  await connection.syncIndexes();
  return {
    fhir,
    connection,
    models,
    config: (overrides) => ({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      RECORDS_PORT: 0,
      RECORDS_WORKERS: 1,
      MONGODB_URI: uri.toString(),
      FHIR_PUBLIC_URL: undefined,
      AUTH_SIGNING_KEY_FILE: undefined,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_HOURS: 12,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_LOCKOUT_MINUTES: 15,
      FHIR_PUSH_URL: fhir.baseUrl,
      FHIR_PUSH_TOKEN: undefined,
      FHIR_PUSH_USERNAME: undefined,
      FHIR_PUSH_PASSWORD: undefined,
      ...overrides,
    }),
    stop: async () => {
      await connection.close();
      await fhir.close();
      await store.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
