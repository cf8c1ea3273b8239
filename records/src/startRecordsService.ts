import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger, RunningService } from '@telemed/service-kit';
import type { Config } from '@telemed/shared';
import { AuditLog } from './audit/AuditLog.js';
import { TokenIssuer } from './auth/TokenIssuer.js';
import { createRecordsApp } from './createRecordsApp.js';
import { connectDatabase } from './db/connectDatabase.js';
import { ConsultationGraphLoader } from './fhir/load/ConsultationGraphLoader.js';
import type { FhirMappingContext } from './fhir/mapping/fhirSystems.js';
import type { ConsultationBundleBuilder } from './fhir/push/ConsultationBundleBuilder.js';
import { FhirOutbox } from './fhir/push/FhirOutbox.js';
import { fhirPushTargetFrom } from './fhir/push/FhirPushTarget.js';
import { FhirPushWorker, type FhirPushWorkerOptions } from './fhir/push/FhirPushWorker.js';
import { mappedConsultationBundle } from './fhir/push/mappedConsultationBundle.js';
import { createAppServer } from './http/createAppServer.js';
import { Icd10Catalog } from './icd10/Icd10Catalog.js';
import { registerModels } from './models/registerModels.js';
import { backfillSearchTerms } from './organizations/backfillSearchTerms.js';

export const recordsConfigVariables = [
  'HOST',
  'LOG_LEVEL',
  'DATA_DIR',
  'RECORDS_PORT',
  'RECORDS_WORKERS',
  'FHIR_PUBLIC_URL',
  'MONGODB_URI',
  'AUTH_SIGNING_KEY_FILE',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_HOURS',
  'LOGIN_MAX_FAILURES',
  'LOGIN_LOCKOUT_MINUTES',
  'FHIR_PUSH_URL',
  'FHIR_PUSH_TOKEN',
  'FHIR_PUSH_USERNAME',
  'FHIR_PUSH_PASSWORD',
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

/** How the push to the hospital's FHIR server is done, where the defaults do not suit (tests). */
export interface FhirPushOptions {
  /** The bundle of a signed or amended consultation (by default every resource of it, validated). */
  bundleBuilder?: ConsultationBundleBuilder;
  worker?: Pick<FhirPushWorkerOptions, 'maxAttempts' | 'backoff' | 'leaseMs' | 'timeoutMs' | 'pollMs'>;
}

/**
 * Connects to the database, then serves the API and, with FHIR_PUSH_URL set, runs the push's worker; `stop`
 * stops the worker (its item in flight recorded), closes the listener and then the connection.
 */
export async function startRecordsService(
  config: RecordsConfig,
  logger: Logger,
  fhirPush: FhirPushOptions = {},
): Promise<RunningRecordsService> {
  const tokens = prepareSigningKey(config);
  const connection = await connectDatabase(config.MONGODB_URI ?? defaultMongoUri);
  const models = registerModels(connection);
  const pushTarget = fhirPushTargetFrom(config);
  // The attachments' links point back at records: at FHIR_PUBLIC_URL, else at where this service listens.
  const mapping: FhirMappingContext = { recordsBaseUrl: config.FHIR_PUBLIC_URL?.replace(/\/+$/, '') ?? '' };
  // The one place the push's bundle builder is chosen.
  const bundleBuilder =
    fhirPush.bundleBuilder ??
    mappedConsultationBundle(new ConsultationGraphLoader(models, Icd10Catalog.shared()), () => mapping);
  const pushWorker = pushTarget
    ? new FhirPushWorker({
        models,
        target: pushTarget,
        logger,
        audit: new AuditLog(models.AuditEvent),
        ...fhirPush.worker,
      })
    : undefined;
  const { app, close } = createRecordsApp({
    connection,
    logger,
    tokens,
    auth: {
      refreshTtlHours: config.REFRESH_TOKEN_TTL_HOURS,
      maxFailedLogins: config.LOGIN_MAX_FAILURES,
      lockoutMinutes: config.LOGIN_LOCKOUT_MINUTES,
    },
    fhirOutbox: pushTarget ? new FhirOutbox(bundleBuilder) : undefined,
    fhir: { publicUrl: config.FHIR_PUBLIC_URL },
  });
  await connection.syncIndexes();
  await backfillSearchTerms(models);
  const server = createAppServer(app).listen(config.RECORDS_PORT, config.HOST);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  mapping.recordsBaseUrl ||= url;
  logger.info({ url }, 'records service listening');
  if (pushWorker) {
    pushWorker.start();
    logger.info({ fhirServer: pushTarget?.url }, 'fhir push: worker started');
  }
  return {
    url,
    async stop() {
      await pushWorker?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Background exports stop writing before their connection goes; another node takes them over.
      await close();
      await connection.close();
    },
  };
}
