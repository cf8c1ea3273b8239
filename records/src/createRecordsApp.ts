import { createHealthEndpoints, type Logger } from '@telemed/service-kit';
import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import { pingDatabase } from './db/connectDatabase.js';
import { errorHandler, notFoundHandler } from './http/errorHandling.js';

export interface RecordsAppDeps {
  connection: Connection;
  logger: Logger;
}

/** The records HTTP API as an Express app, without listening: tests and `main` both mount it. */
export function createRecordsApp({ connection, logger }: RecordsAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  const health = createHealthEndpoints({
    service: 'records',
    checks: { database: () => pingDatabase(connection) },
  });
  app.use(async (req, res, next) => {
    if (!(await health(req, res))) next();
  });

  app.use(express.json({ limit: '256kb', strict: true }));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
