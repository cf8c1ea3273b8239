#!/usr/bin/env node
import { loadConfig } from '@telemed/shared';
import { createLogger, runService } from '@telemed/service-kit';
import { startSignalingService } from './startSignalingService.js';

const logger = createLogger('signaling');
await runService(logger, async () =>
  startSignalingService(loadConfig(['HOST', 'SIGNALING_PORT', 'RECORDS_URL', 'SFU_URL', 'LOG_LEVEL']), logger),
);
