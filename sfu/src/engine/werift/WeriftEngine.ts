import type { MediaEngine } from '../MediaEngine.js';
import type { Worker, WorkerSettings } from '../Worker.js';
import { WeriftWorker } from './WeriftWorker.js';

/** Pure TypeScript engine on werift's ORTC classes; always available. */
export class WeriftEngine implements MediaEngine {
  readonly name = 'werift' as const;
  readonly workerPerCore = false;
  readonly description = 'werift (pure TypeScript ICE-lite, DTLS-SRTP and RTP forwarding in this process)';

  async createWorker(settings: WorkerSettings): Promise<Worker> {
    return new WeriftWorker(settings);
  }
}
