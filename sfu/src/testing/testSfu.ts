import { fileURLToPath } from 'node:url';
import { type BundledPage, serveBundledPage } from '@telemed/browser-testing';
import { createLogger } from '@telemed/service-kit';
import { WeriftEngine } from '../engine/werift/WeriftEngine.js';
import { type StartedSfu, startSfuService } from '../service/SfuService.js';
import type { SfuConfig } from '../service/sfuConfig.js';

export const testSecret = 'test-control-secret-0123456789abcdef';

/**
 * An SFU on a free port, quiet logs. By default with the in-process werift engine (one worker, no threads),
 * so tests can reach its transports' packet filter; `engine: 'service'` picks the engine as the service
 * does (werift on a worker thread per core).
 */
export function startTestSfu(
  overrides: Partial<SfuConfig> = {},
  options: { engine?: 'inprocess' | 'service' } = {},
): Promise<StartedSfu> {
  const config: SfuConfig = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SFU_PORT: 0,
    SFU_CONTROL_SECRET: testSecret,
    SFU_ENGINE: 'werift',
    MEDIASOUP_WORKER_BIN: undefined,
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_ANNOUNCED_IP: undefined,
    SFU_RTC_MIN_PORT: 43000,
    SFU_RTC_MAX_PORT: 43999,
    SFU_MIN_VIDEO_BITRATE: 100_000,
    SFU_INITIAL_OUTGOING_BITRATE: 1_500_000,
    TURN_URLS: undefined,
    TURN_SECRET: undefined,
    ...overrides,
  };
  return startSfuService(config, {
    logger: createLogger('sfu-test', config.LOG_LEVEL),
    engine: options.engine === 'service' ? undefined : new WeriftEngine(),
  });
}

/** Bundles the mediasoup-client test page with vite and serves it on localhost (a secure context). */
export function serveTestPage(): Promise<BundledPage> {
  return serveBundledPage(fileURLToPath(new URL('./browserPage/', import.meta.url)));
}
