import { AppError } from '@telemed/shared';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import type { Router, RouterOptions } from '../Router.js';
import type { Worker, WorkerEvents, WorkerResourceUsage, WorkerSettings } from '../Worker.js';
import { WeriftRouter, type WeriftRouterHost } from './WeriftRouter.js';

const TICK_MS = 20;

/**
 * The werift "worker" lives in this process: one timer drives RTCP, NACK and layer decisions for
 * every router, so closing the worker leaves nothing scheduled.
 */
export class WeriftWorker extends EnhancedEventEmitter<WorkerEvents> implements Worker, WeriftRouterHost {
  readonly pid = process.pid;
  readonly portRange: [number, number];
  readonly routers = new Set<WeriftRouter>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #startCpu = process.cpuUsage();

  constructor(settings: WorkerSettings) {
    super();
    if (
      !(
        settings.rtcMinPort >= 1 &&
        settings.rtcMaxPort <= 65535 &&
        settings.rtcMinPort <= settings.rtcMaxPort
      )
    ) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Invalid RTC port range ${settings.rtcMinPort}-${settings.rtcMaxPort}`,
      );
    }
    this.portRange = [settings.rtcMinPort, settings.rtcMaxPort];
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  get closed(): boolean {
    return this.#closed;
  }
  get died(): boolean {
    return false;
  }

  #tick(): void {
    const now = performance.now();
    for (const router of this.routers) {
      try {
        router.tick(now);
      } catch (error) {
        this.safeEmit('listenererror', 'tick', error);
      }
    }
  }

  allocate<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async createRouter(options: RouterOptions = {}): Promise<Router> {
    if (this.#closed) throw new AppError('SERVICE_UNAVAILABLE', 'The media worker is closed');
    const router = new WeriftRouter({
      host: this,
      mediaCodecs: options.mediaCodecs,
      appData: options.appData,
    });
    this.routers.add(router);
    return router;
  }

  routerClosed(router: WeriftRouter): void {
    this.routers.delete(router);
  }

  async getResourceUsage(): Promise<WorkerResourceUsage> {
    const cpu = process.cpuUsage(this.#startCpu);
    return { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage().rss };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const router of [...this.routers]) router.workerClosed();
  }
}
