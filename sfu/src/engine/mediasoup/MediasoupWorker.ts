import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Router, RouterOptions } from '../Router.js';
import type { Worker, WorkerEvents, WorkerResourceUsage } from '../Worker.js';
import { defaultMediaCodecs } from '../werift/supportedRtpCapabilities.js';
import { MediasoupRouter } from './MediasoupRouter.js';
import type { MsWorker } from './mediasoupTypes.js';

export class MediasoupWorker extends EnhancedEventEmitter<WorkerEvents> implements Worker {
  readonly #w: MsWorker;
  readonly #portRange: { min: number; max: number };

  constructor(worker: MsWorker, portRange: { min: number; max: number }) {
    super();
    this.#w = worker;
    this.#portRange = portRange;
    worker.on('died', (error: Error) => this.safeEmit('died', error));
  }

  get pid() {
    return this.#w.pid;
  }
  get closed() {
    return this.#w.closed;
  }
  get died() {
    return this.#w.died;
  }

  async createRouter(options: RouterOptions = {}): Promise<Router> {
    const router = await this.#w.createRouter({
      mediaCodecs: options.mediaCodecs ?? defaultMediaCodecs,
      appData: options.appData ?? {},
    });
    return new MediasoupRouter(router, this.#portRange);
  }

  async getResourceUsage(): Promise<WorkerResourceUsage> {
    const usage = await this.#w.getResourceUsage();
    // ru_maxrss is in kilobytes (getrusage).
    return { cpuMs: usage.ru_utime + usage.ru_stime, rssBytes: usage.ru_maxrss * 1024 };
  }

  close() {
    this.#w.close();
  }
}
