import type { Logger } from 'pino';
import type { MediaEngine } from './MediaEngine.js';
import { ThreadedWeriftEngine } from './werift/threaded/ThreadedWeriftEngine.js';

/**
 * SFU_ENGINE: `werift` always works (one worker thread per core); `mediasoup` needs the optional package and its worker binary
 * (a prebuilt in node_modules or MEDIASOUP_WORKER_BIN); `auto` takes mediasoup when it can, else werift.
 */
export async function selectEngine(params: {
  choice: 'auto' | 'mediasoup' | 'werift';
  workerBin: string | undefined;
  logger: Logger;
}): Promise<MediaEngine> {
  if (params.choice === 'werift') return new ThreadedWeriftEngine();
  const { loadMediasoupEngine } = await import('./mediasoup/MediasoupEngine.js');
  const loaded = await loadMediasoupEngine(params.workerBin);
  if (loaded.engine) return loaded.engine;
  if (params.choice === 'mediasoup') {
    throw new Error(`SFU_ENGINE=mediasoup but mediasoup cannot run here: ${loaded.reason}`);
  }
  params.logger.info({ reason: loaded.reason }, 'mediasoup is not available; using the werift engine');
  return new ThreadedWeriftEngine();
}
