import { createLogger, runService } from '@telemed/service-kit';
import { startSfuService } from './service/SfuService.js';
import { loadSfuConfig } from './service/sfuConfig.js';

const logger = createLogger('sfu');
await runService(logger, () => startSfuService(loadSfuConfig(process.env), { logger }));
