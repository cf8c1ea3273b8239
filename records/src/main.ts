#!/usr/bin/env node
import cluster from 'node:cluster';
import { createLogger, runService } from '@telemed/service-kit';
import { loadConfigOrExit } from '@telemed/shared';
import { startRecordsCluster } from './cluster/startRecordsCluster.js';
import { recordsConfigVariables, startRecordsService } from './startRecordsService.js';

const logger = createLogger('records');
const config = loadConfigOrExit(recordsConfigVariables);
await runService(logger, () =>
  config.RECORDS_WORKERS > 1 && cluster.isPrimary
    ? startRecordsCluster(config, logger)
    : startRecordsService(config, logger),
);
