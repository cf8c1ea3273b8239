import type { MediaEngine } from '../../MediaEngine.js';
import type { Worker, WorkerSettings } from '../../Worker.js';
import { ThreadedWorker } from './ThreadedWorker.js';

/** The werift engine with each worker on its own thread (one per core), like mediasoup's worker processes. */
export class ThreadedWeriftEngine implements MediaEngine {
  readonly name = 'werift' as const;
  readonly workerPerCore = true;
  readonly description = 'werift (pure TypeScript), one worker thread per media worker';

  createWorker(settings: WorkerSettings): Promise<Worker> {
    return ThreadedWorker.start(settings);
  }
}
