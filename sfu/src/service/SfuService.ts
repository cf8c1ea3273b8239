import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { createHealthEndpoints, createLogger, type RunningService } from '@telemed/service-kit';
import { AppError } from '@telemed/shared';
import type { Logger } from 'pino';
import type { MediaEngine } from '../engine/MediaEngine.js';
import { selectEngine } from '../engine/selectEngine.js';
import type { Worker } from '../engine/Worker.js';
import { createControlApiHandler } from './ControlApi.js';
import { RoomRegistry } from './RoomRegistry.js';
import type { SfuConfig } from './sfuConfig.js';

export interface StartedSfu extends RunningService {
  readonly url: string;
  readonly port: number;
  readonly engine: MediaEngine;
  readonly registry: RoomRegistry;
}

/** Starts the media workers and the control API (with /healthz and /readyz) on HOST:SFU_PORT (0 picks a port). */
export async function startSfuService(
  config: SfuConfig,
  options: { logger?: Logger; engine?: MediaEngine } = {},
): Promise<StartedSfu> {
  const logger = options.logger ?? createLogger('sfu', config.LOG_LEVEL);
  const engine =
    options.engine ??
    (await selectEngine({ choice: config.SFU_ENGINE, workerBin: config.MEDIASOUP_WORKER_BIN, logger }));
  // A worker per core when workers run in parallel (mediasoup processes, werift threads).
  const workerCount = engine.workerPerCore ? availableParallelism() : 1;
  const ports = config.SFU_RTC_MAX_PORT - config.SFU_RTC_MIN_PORT + 1;
  const perWorker = Math.floor(ports / workerCount);
  if (perWorker < 1)
    throw new AppError('VALIDATION_FAILED', 'The RTC port range is smaller than the number of workers');
  const workers: Worker[] = [];
  for (let i = 0; i < workerCount; i++) {
    const min = config.SFU_RTC_MIN_PORT + i * perWorker;
    const worker = await engine.createWorker({
      rtcMinPort: min,
      rtcMaxPort: i === workerCount - 1 ? config.SFU_RTC_MAX_PORT : min + perWorker - 1,
    });
    worker.on('died', (error) => logger.error({ err: error, pid: worker.pid }, 'media worker died'));
    workers.push(worker);
  }
  logger.info(
    {
      engine: engine.name,
      description: engine.description,
      workers: workerCount,
      rtcPorts: `${config.SFU_RTC_MIN_PORT}-${config.SFU_RTC_MAX_PORT}`,
      listenIp: config.SFU_LISTEN_IP,
      announcedIp: config.SFU_ANNOUNCED_IP,
    },
    `media engine: ${engine.name}`,
  );
  const registry = new RoomRegistry({
    engine,
    workers,
    listenIp: config.SFU_LISTEN_IP,
    announcedIp: config.SFU_ANNOUNCED_IP,
    minVideoBitrate: config.SFU_MIN_VIDEO_BITRATE,
    initialOutgoingBitrate: config.SFU_INITIAL_OUTGOING_BITRATE,
    turnUrls: config.TURN_URLS,
    turnSecret: config.TURN_SECRET,
    logger,
  });
  const health = createHealthEndpoints({
    service: 'sfu',
    checks: {
      engine: async () => {
        const alive = workers.filter((w) => !w.closed && !w.died).length;
        if (alive === 0) throw new Error(`no ${engine.name} worker is alive`);
        return `${engine.name}: ${alive}/${workers.length} workers alive, ${registry.roomCount} rooms`;
      },
    },
  });
  const control = createControlApiHandler({ registry, secret: config.SFU_CONTROL_SECRET, logger });
  const server: Server = createServer((req, res) => {
    (async () => {
      if (await health(req, res)) return;
      if (await control(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(new AppError('NOT_FOUND', `No route ${req.method} ${req.url}`).toBody('en')));
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.SFU_PORT, config.HOST, () => resolve());
  }).catch((error: unknown) => {
    for (const w of workers) w.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url }, 'SFU control API listening');
  let stopped = false;
  return {
    url,
    port,
    engine,
    registry,
    async stop() {
      if (stopped) return;
      stopped = true;
      registry.closeAll();
      for (const w of workers) w.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
