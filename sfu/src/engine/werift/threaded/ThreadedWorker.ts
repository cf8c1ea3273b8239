import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import { AppError } from '@telemed/shared';
import { EnhancedEventEmitter } from '../../EnhancedEventEmitter.js';
import type { Router, RouterOptions } from '../../Router.js';
import type { Worker, WorkerEvents, WorkerResourceUsage, WorkerSettings } from '../../Worker.js';
import { ThreadChannel } from './ThreadChannel.js';
import { ThreadedRouter } from './ThreadedRouter.js';
import type { ThreadMessage } from './threadProtocolTypes.js';

const fromSource = import.meta.url.endsWith('.ts');
const entry = new URL(`./weriftThread.${fromSource ? 'ts' : 'js'}`, import.meta.url);

/**
 * Run from TypeScript sources (tests, benchmark), the thread registers tsx itself before importing the
 * entry: a worker's `--import` flag is not honoured under every runner. Built code starts the entry directly.
 */
function threadModule(): URL {
  if (!fromSource) return entry;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']?.import.default ?? ''));
  const code = `import { register } from ${JSON.stringify(api.href)};\nregister();\nawait import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * A werift worker on its own thread, like a mediasoup worker process: its routers' sockets, timers and
 * packets run on that thread's event loop, so N workers use N cores. The engine interface is unchanged.
 */
export class ThreadedWorker extends EnhancedEventEmitter<WorkerEvents> implements Worker {
  readonly pid = process.pid;
  readonly #thread: NodeWorker;
  readonly #channel: ThreadChannel;
  readonly #routers = new Set<ThreadedRouter>();
  #closed = false;
  #died = false;

  private constructor(thread: NodeWorker) {
    super();
    this.#thread = thread;
    this.#channel = new ThreadChannel(thread);
    thread.on('error', (error) => this.#die(error));
    thread.on('exit', (code) => {
      if (!this.#closed) this.#die(new Error(`media engine thread exited with code ${code}`));
    });
  }

  /** Starts the thread and waits until its werift worker exists. */
  static async start(settings: WorkerSettings): Promise<ThreadedWorker> {
    // From sources, workspace packages resolve to their sources too, as in the main thread.
    const execArgv = fromSource ? ['--conditions=@telemed/source'] : undefined;
    const thread = new NodeWorker(threadModule(), { workerData: settings, execArgv });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: ThreadMessage) => {
        if (m.type !== 'ready') return;
        thread.off('message', onMessage);
        thread.off('error', reject);
        resolve();
      };
      thread.on('message', onMessage);
      thread.once('error', reject);
    });
    return new ThreadedWorker(thread);
  }

  get closed(): boolean {
    return this.#closed;
  }
  get died(): boolean {
    return this.#died;
  }

  async createRouter(options: RouterOptions = {}): Promise<Router> {
    if (this.#closed) throw new AppError('SERVICE_UNAVAILABLE', 'The media worker is closed');
    const { appData, ...rest } = options;
    const created = await this.#channel.call<{ id: string; rtpCapabilities: Router['rtpCapabilities'] }>(
      'worker',
      'createRouter',
      [rest],
    );
    const router = new ThreadedRouter({
      channel: this.#channel,
      id: created.id,
      rtpCapabilities: created.rtpCapabilities,
      appData: appData ?? {},
      onClose: (r) => this.#routers.delete(r),
    });
    this.#routers.add(router);
    return router;
  }

  /**
   * How busy the thread's event loop was since `previous` (0 idle … 1 saturated), for load reports and the
   * benchmark; see `performance.eventLoopUtilization`.
   */
  eventLoopUtilization(previous?: EventLoopUtilization): EventLoopUtilization {
    return this.#thread.performance.eventLoopUtilization(previous);
  }

  /** The thread's event-loop delay percentiles since the previous call (which resets them). */
  eventLoopDelay(): Promise<{ p50Ms: number; p99Ms: number }> {
    return this.#channel.call('worker', 'eventLoopDelay');
  }

  /** CPU and memory of the whole process: threads share both. */
  getResourceUsage(): Promise<WorkerResourceUsage> {
    return this.#channel.call('worker', 'getResourceUsage');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.fire('worker', 'close');
    for (const router of [...this.#routers]) router.workerClosed();
    // The thread exits by itself once its sockets are closed; terminate it if it does not.
    setTimeout(() => void this.#thread.terminate(), 2000).unref();
  }

  #die(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#died = true;
    this.#channel.fail(error);
    for (const router of [...this.#routers]) router.workerClosed();
    this.safeEmit('died', error);
  }
}
