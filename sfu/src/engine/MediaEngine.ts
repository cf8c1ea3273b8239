import type { Worker, WorkerSettings } from './Worker.js';

export type EngineName = 'werift' | 'mediasoup';

/** The seam: the rest of the platform creates workers through this and uses only the engine interfaces. */
export interface MediaEngine {
  readonly name: EngineName;
  /** A human-readable note on what backs the engine (binary path, library version). */
  readonly description: string;
  /** Whether workers run in parallel (processes or threads), so one per core is worth creating. */
  readonly workerPerCore: boolean;
  createWorker(settings: WorkerSettings): Promise<Worker>;
}
