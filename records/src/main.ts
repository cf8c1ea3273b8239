#!/usr/bin/env node
import { createLogger, runService } from '@telemed/service-kit';
import { loadConfig } from '@telemed/shared';
import { startRecordsService } from './startRecordsService.js';

const logger = createLogger('records');
await runService(logger, async () =>
  startRecordsService(loadConfig(['HOST', 'RECORDS_PORT', 'MONGODB_URI', 'LOG_LEVEL']), logger),
);
