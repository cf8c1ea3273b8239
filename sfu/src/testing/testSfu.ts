import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
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
export async function serveTestPage(): Promise<{ url: string; close(): Promise<void> }> {
  const { build } = await import('vite');
  const root = fileURLToPath(new URL('./browserPage/', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'sfu-test-page-'));
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: false },
  });
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server: Server = createServer((req, res) => {
    const path = normalize(
      (req.url ?? '/').split('?')[0] === '/' ? '/index.html' : ((req.url ?? '/').split('?')[0] ?? '/'),
    );
    try {
      const body = readFileSync(join(outDir, path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
