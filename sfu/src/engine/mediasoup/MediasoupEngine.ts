import { existsSync } from 'node:fs';
import type { MediaEngine } from '../MediaEngine.js';
import type { Worker, WorkerSettings } from '../Worker.js';
import { MediasoupWorker } from './MediasoupWorker.js';
import type { MsModule } from './mediasoupTypes.js';

/** Thin adapter over the real mediasoup package (C++ worker processes). */
export class MediasoupEngine implements MediaEngine {
  readonly name = 'mediasoup' as const;
  readonly workerPerCore = true;
  readonly description: string;
  readonly #module: MsModule;

  constructor(module: MsModule, workerBin: string) {
    this.#module = module;
    this.description = `mediasoup ${module.version} (worker ${workerBin})`;
  }

  async createWorker(settings: WorkerSettings): Promise<Worker> {
    const worker = await this.#module.createWorker({
      logLevel: settings.logLevel ?? 'warn',
      rtcMinPort: settings.rtcMinPort,
      rtcMaxPort: settings.rtcMaxPort,
    });
    return new MediasoupWorker(worker, { min: settings.rtcMinPort, max: settings.rtcMaxPort });
  }
}

/**
 * Loads mediasoup if it is installed and its worker binary exists. mediasoup reads
 * MEDIASOUP_WORKER_BIN itself when imported, so the variable is set before the import.
 */
export async function loadMediasoupEngine(
  workerBin: string | undefined,
): Promise<{ engine: MediasoupEngine; reason?: undefined } | { engine?: undefined; reason: string }> {
  if (workerBin) {
    if (!existsSync(workerBin)) return { reason: `MEDIASOUP_WORKER_BIN=${workerBin} does not exist` };
    process.env.MEDIASOUP_WORKER_BIN = workerBin;
  }
  let module: MsModule;
  try {
    // A variable specifier keeps TypeScript from resolving the optional package at build time.
    const specifier = 'mediasoup';
    const imported = (await import(specifier)) as MsModule & { default?: MsModule };
    module = imported.default?.createWorker ? imported.default : imported;
  } catch (error) {
    return {
      reason: `the optional mediasoup package is not installed (${(error as Error).message.split('\n')[0]})`,
    };
  }
  const bin = workerBin ?? module.workerBin;
  if (!bin || !existsSync(bin)) {
    return {
      reason: `mediasoup ${module.version} is installed but its worker binary is missing (${bin ?? 'unknown path'})`,
    };
  }
  return { engine: new MediasoupEngine(module, bin) };
}
