#!/usr/bin/env node
import { createLogger, runService } from '@telemed/service-kit';
import { loadConfig } from '@telemed/shared';
import { startSignalingService } from './startSignalingService.js';

const logger = createLogger('signaling');
await runService(logger, async () =>
  startSignalingService(
    loadConfig([
      'HOST',
      'SIGNALING_PORT',
      'RECORDS_URL',
      'SFU_URL',
      'SFU_URLS',
      'SFU_CONTROL_SECRET',
      'SIGNALING_ACCOUNT_CHECK_SECONDS',
      'SIGNALING_RECOVERY_SECONDS',
      'SIGNALING_GONE_GRACE_SECONDS',
      'REDIS_URL',
      'LOG_LEVEL',
    ]),
    logger,
  ),
);
