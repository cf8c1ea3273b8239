#!/usr/bin/env node
import { createLogger, runService } from '@telemed/service-kit';
import { loadConfig } from '@telemed/shared';
import { recordsConfigVariables, startRecordsService } from './startRecordsService.js';

const logger = createLogger('records');
await runService(logger, async () => startRecordsService(loadConfig(recordsConfigVariables), logger));
