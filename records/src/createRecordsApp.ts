import { createHealthEndpoints, createRequestLogger, type Logger } from '@telemed/service-kit';
import cookieParser from 'cookie-parser';
import express, { type Express, Router } from 'express';
import type { Connection } from 'mongoose';
import { AccessPolicy } from './access/AccessPolicy.js';
import { AuditLog } from './audit/AuditLog.js';
import { RefusalAudit } from './audit/RefusalAudit.js';
import { SignalingRefusals } from './audit/SignalingRefusals.js';
import { ActiveUsers } from './auth/ActiveUsers.js';
import type { TokenIssuer } from './auth/TokenIssuer.js';
import { ClusterPeers } from './cluster/ClusterPeers.js';
import { pingDatabase } from './db/connectDatabase.js';
import { BulkExportOverview } from './fhir/bulk/BulkExportOverview.js';
import { BulkExportRunner, type BulkRunnerOptions } from './fhir/bulk/BulkExportRunner.js';
import { BulkExportService } from './fhir/bulk/BulkExportService.js';
import { BulkSourceTable } from './fhir/bulk/BulkSourceTable.js';
import type { BulkTypeSource } from './fhir/bulk/BulkTypeSource.js';
import { bulkExportRoutes } from './fhir/bulk/bulkExportRoutes.js';
import { recordsBulkSources } from './fhir/bulk/sources/recordsBulkSources.js';
import { fhirAuthenticate } from './fhir/http/fhirAuthenticate.js';
import { fhirErrorHandler } from './fhir/http/fhirErrorHandler.js';
import { fhirMetadataRoute, fhirReadRoutes } from './fhir/http/fhirReadRoutes.js';
import { ConsultationGraphLoader } from './fhir/load/ConsultationGraphLoader.js';
import type { FhirOutbox } from './fhir/push/FhirOutbox.js';
import { FhirPushQueue } from './fhir/push/FhirPushQueue.js';
import { FhirReadService } from './fhir/read/FhirReadService.js';
import { authenticate } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errorHandling.js';
import { appointmentRoutes } from './http/routes/appointmentRoutes.js';
import { auditRoutes } from './http/routes/auditRoutes.js';
import { authRoutes } from './http/routes/authRoutes.js';
import { bulkExportListRoutes } from './http/routes/bulkExportListRoutes.js';
import { consultationRoutes } from './http/routes/consultationRoutes.js';
import { fhirPushRoutes } from './http/routes/fhirPushRoutes.js';
import { icd10Routes } from './http/routes/icd10Routes.js';
import { organizationRoutes } from './http/routes/organizationRoutes.js';
import { patientRoutes } from './http/routes/patientRoutes.js';
import { refusalRoutes } from './http/routes/refusalRoutes.js';
import { reportRoutes } from './http/routes/reportRoutes.js';
import { smartTokenRoutes } from './http/routes/smartTokenRoutes.js';
import { systemClientRoutes } from './http/routes/systemClientRoutes.js';
import { userRoutes } from './http/routes/userRoutes.js';
import { Icd10Catalog } from './icd10/Icd10Catalog.js';
import { registerModels } from './models/registerModels.js';
import type { AuthSettings, RecordsContext } from './RecordsContext.js';
import { createRecordsServices } from './RecordsServices.js';
import { ReportService } from './reports/ReportService.js';
import { ClientCredentialsGrant } from './systemClients/ClientCredentialsGrant.js';
import { SystemClientService } from './systemClients/SystemClientService.js';

export interface RecordsAppDeps {
  connection: Connection;
  logger: Logger;
  tokens: TokenIssuer;
  auth: AuthSettings;
  fhir?: FhirSettings;
  /** With FHIR_PUSH_URL set: signatures and amendments queue their push here (see `fhir/push/`). */
  fhirOutbox?: FhirOutbox | undefined;
}

export interface FhirSettings {
  /** The types a Bulk Data export writes, each from its source (one table); by default every mapped type. */
  bulkSources?: readonly BulkTypeSource[];
  /** How clients reach records (FHIR_PUBLIC_URL): the token URL (`aud`) and the export's URLs. */
  publicUrl?: string | undefined;
  runner?: BulkRunnerOptions;
}

/** The records app and what it runs in the background; `close` stops that work (before the connection closes). */
export interface RecordsApp {
  app: Express;
  close(): Promise<void>;
}

/** The records HTTP API as an Express app, without listening: tests and `main` both mount it. */
export function createRecordsApp({
  connection,
  logger,
  tokens,
  auth,
  fhir = {},
  fhirOutbox,
}: RecordsAppDeps): RecordsApp {
  const models = registerModels(connection);
  const audit = new AuditLog(models.AuditEvent);
  const ctx: RecordsContext = {
    models,
    tokens,
    audit,
    refusals: new RefusalAudit(audit),
    auth,
    logger,
    activeUsers: new ActiveUsers(models.User, { peers: new ClusterPeers() }),
  };
  const access = new AccessPolicy(models);
  const icd10 = Icd10Catalog.shared();
  const services = createRecordsServices({ models, connection, audit, access, icd10, fhirOutbox });

  const app = express();
  app.disable('x-powered-by');
  // Answers are `no-store`: hashing every body for an ETag would cost CPU for a header nobody uses.
  app.disable('etag');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  // First, so that every answer is logged, refusals and errors included (never a body or a query string).
  app.use(createRequestLogger(logger));

  const health = createHealthEndpoints({
    service: 'records',
    checks: { database: () => pingDatabase(connection) },
  });
  app.use(async (req, res, next) => {
    if (!(await health(req, res))) next();
  });
  app.get('/.well-known/jwks.json', async (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.json(await tokens.jwks());
  });

  app.use('/api', (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  const json = express.json({ limit: '256kb', strict: true });
  const sessionRoutes = authRoutes(ctx);
  app.use('/api/auth', json, cookieParser(), sessionRoutes.open);

  const api = Router();
  api.use(authenticate(ctx));
  api.use('/auth', json, sessionRoutes.authenticated);
  // Attachments bring their own raw-body parser; everything else is JSON.
  api.use((req, res, next) => (req.path.endsWith('/attachments') ? next() : json(req, res, next)));
  api.use('/organizations', organizationRoutes(ctx));
  const { users, specialists } = userRoutes(ctx);
  api.use('/users', users);
  api.use('/specialists', specialists);
  api.use('/patients', patientRoutes(services.patients));
  const { appointments, urgent } = appointmentRoutes(services.appointments, services.calls);
  api.use('/appointments', appointments);
  api.use('/urgent-requests', urgent);
  api.use(consultationRoutes(services.consultations, services.notes));
  api.use('/icd10', icd10Routes(icd10));
  const { trail, trailCsv, lookups } = auditRoutes(services.auditTrail);
  api.use('/audit-events', trail);
  api.use('/audit-events.csv', trailCsv);
  api.use('/audit', lookups);
  api.use('/signaling-refusals', refusalRoutes(new SignalingRefusals(ctx.refusals)));
  api.use('/reports', reportRoutes(new ReportService(models)));
  api.use('/system-clients', systemClientRoutes(new SystemClientService(models, audit)));
  api.use(
    '/fhir-push',
    fhirPushRoutes(new FhirPushQueue({ models, audit, enabled: fhirOutbox !== undefined })),
  );
  api.use('/bulk-exports', bulkExportListRoutes(new BulkExportOverview(models, audit)));
  app.use('/api', api);

  const publicUrl = fhir.publicUrl?.replace(/\/+$/, '');
  app.use(
    '/auth',
    smartTokenRoutes(new ClientCredentialsGrant(models, tokens, audit, ctx.refusals), publicUrl),
  );
  const bulkSources = new BulkSourceTable(
    fhir.bulkSources ?? recordsBulkSources(models, icd10, { recordsBaseUrl: publicUrl ?? '' }),
  );
  const bulkRunner = new BulkExportRunner(models, bulkSources, logger, fhir.runner);
  const fhirApi = Router();
  const fhirBase = (req: express.Request) => publicUrl ?? `${req.protocol}://${req.get('host')}`;
  fhirApi.use(
    fhirMetadataRoute((req) => ({
      baseUrl: fhirBase(req),
      bulk: { system: bulkSources.types('system'), patient: bulkSources.types('patient') },
    })),
  );
  fhirApi.use(fhirAuthenticate(ctx));
  fhirApi.use(bulkExportRoutes(new BulkExportService(models, audit, bulkRunner), bulkSources, publicUrl));
  const fhirRead = new FhirReadService({
    models,
    access,
    audit,
    loader: new ConsultationGraphLoader(models, icd10),
    // Attachment URLs are absolute only with FHIR_PUBLIC_URL; else relative to this service (`/api/...`).
    mapping: { recordsBaseUrl: publicUrl ?? '' },
  });
  fhirApi.use(fhirReadRoutes(fhirRead, fhirBase));
  fhirApi.use(notFoundHandler);
  fhirApi.use(fhirErrorHandler(logger, audit));
  app.use('/fhir', fhirApi);

  app.use(notFoundHandler);
  app.use(errorHandler(logger, audit));
  return { app, close: () => bulkRunner.stop() };
}
