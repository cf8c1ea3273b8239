import { createLogger, runService } from '@telemed/service-kit';
import { loadSfuConfig } from './service/sfuConfig.js';
import { startSfuService } from './service/SfuService.js';

const logger = createLogger('sfu');
await runService(logger, () => startSfuService(loadSfuConfig(process.env), { logger }));
