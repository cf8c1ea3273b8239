#!/usr/bin/env node
import cluster from 'node:cluster';
import { createLogger, runService } from '@telemed/service-kit';
import { loadConfigOrExit } from '@telemed/shared';
import { runRecordsCluster } from './cluster/runRecordsCluster.js';
import { recordsConfigVariables, startRecordsService } from './startRecordsService.js';

const logger = createLogger('records');
const config = loadConfigOrExit(recordsConfigVariables);
if (config.RECORDS_WORKERS > 1 && cluster.isPrimary) runRecordsCluster(config, logger);
else await runService(logger, async () => startRecordsService(config, logger));
