import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '@telemed/shared';
import type { AudioLevelObserver } from '../../AudioLevelObserver.js';
import type { Consumer } from '../../Consumer.js';
import type { EnhancedEventEmitter, EventMap } from '../../EnhancedEventEmitter.js';
import type { Producer } from '../../Producer.js';
import type { Router } from '../../Router.js';
import type { WebRtcTransport } from '../../WebRtcTransport.js';
import type { Worker, WorkerSettings } from '../../Worker.js';
import { WeriftEngine } from '../WeriftEngine.js';
import type {
  ConsumerSnapshot,
  ProducerSnapshot,
  ThreadCall,
  ThreadMessage,
  TransportSnapshot,
} from './threadProtocolTypes.js';

/**
 * Entry of an engine thread: one werift worker (its sockets, timers and every packet of its routers) on
 * its own event loop, driven by calls from the main thread. Media never crosses the thread boundary;
 * only control calls, their results and events do.
 */
const port = parentPort;
if (!port) throw new Error('weriftThread must run in a worker thread');

const objects = new Map<string, unknown>();
// How late this thread's event loop runs: a datagram waits in the socket buffer at least this long.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const worker: Worker = await new WeriftEngine().createWorker(workerData as WorkerSettings);

function post(message: ThreadMessage): void {
  port?.postMessage(message);
}

/** Forwards every event of `emitter` (except listener errors, which stay local). */
function forward<E extends EventMap>(
  target: string,
  emitter: EnhancedEventEmitter<E>,
  names: (keyof E & string)[],
  observer = false,
): void {
  for (const name of names) {
    emitter.on(name, ((...args: unknown[]) => {
      const plain = args.map((a) =>
        Array.isArray(a)
          ? a.map((v) =>
              v && typeof v === 'object' && 'producer' in v
                ? { ...v, producer: (v.producer as Producer).id }
                : v,
            )
          : a && typeof a === 'object' && 'kind' in a && 'rtpParameters' in a
            ? (a as Producer).id
            : a,
      );
      post({ type: 'event', target, observer, name, args: plain });
    }) as never);
  }
}

function producerSnapshot(p: Producer): ProducerSnapshot {
  objects.set(p.id, p);
  forward(p.id, p, ['transportclose', 'score']);
  forward(p.id, p.observer, ['close', 'pause', 'resume'], true);
  p.observer.on('close', () => objects.delete(p.id));
  return {
    id: p.id,
    kind: p.kind,
    rtpParameters: p.rtpParameters,
    type: p.type,
    paused: p.paused,
    score: p.score,
  };
}

function consumerSnapshot(c: Consumer): ConsumerSnapshot {
  objects.set(c.id, c);
  forward(c.id, c, [
    'transportclose',
    'producerclose',
    'producerpause',
    'producerresume',
    'score',
    'layerschange',
    'bandwidthpausechange',
  ]);
  forward(c.id, c.observer, ['close', 'pause', 'resume'], true);
  c.observer.on('close', () => objects.delete(c.id));
  return {
    id: c.id,
    producerId: c.producerId,
    kind: c.kind,
    rtpParameters: c.rtpParameters,
    type: c.type,
    paused: c.paused,
    producerPaused: c.producerPaused,
    bandwidthPaused: c.bandwidthPaused,
    score: c.score,
    preferredLayers: c.preferredLayers,
    currentLayers: c.currentLayers,
  };
}

function transportSnapshot(t: WebRtcTransport): TransportSnapshot {
  objects.set(t.id, t);
  forward(t.id, t, ['icestatechange', 'dtlsstatechange', 'routerclose']);
  // Closed by a cascade or a DTLS failure rather than a call: forget it too.
  t.on('routerclose', () => objects.delete(t.id));
  t.on('dtlsstatechange', (state) => {
    if (state === 'failed' || state === 'closed') objects.delete(t.id);
  });
  return {
    id: t.id,
    iceParameters: t.iceParameters,
    iceCandidates: t.iceCandidates,
    dtlsParameters: t.dtlsParameters,
    iceState: t.iceState,
    dtlsState: t.dtlsState,
  };
}

function get<T>(id: string): T {
  const object = objects.get(id);
  if (!object) throw new AppError('NOT_FOUND', `No engine object ${id} in this thread`);
  return object as T;
}

async function call(c: ThreadCall): Promise<unknown> {
  const [a] = c.args as [never];
  if (c.target === 'worker') {
    switch (c.method) {
      case 'createRouter': {
        const router: Router = await worker.createRouter(a);
        objects.set(router.id, router);
        forward(router.id, router, ['workerclose']);
        router.on('workerclose', () => objects.delete(router.id));
        return { id: router.id, rtpCapabilities: router.rtpCapabilities };
      }
      case 'getResourceUsage':
        return worker.getResourceUsage();
      case 'eventLoopDelay': {
        const result = { p50Ms: loopDelay.percentile(50) / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 };
        loopDelay.reset();
        return result;
      }
      case 'close':
        worker.close();
        setImmediate(() => process.exit(0));
        return undefined;
    }
  }
  const target = get<Record<string, (...args: unknown[]) => unknown>>(c.target);
  switch (c.method) {
    case 'createWebRtcTransport':
      return transportSnapshot(await (target as unknown as Router).createWebRtcTransport(a));
    case 'createAudioLevelObserver': {
      const o: AudioLevelObserver = await (target as unknown as Router).createAudioLevelObserver(a);
      objects.set(o.id, o);
      forward(o.id, o, ['volumes', 'silence', 'dominantspeaker', 'routerclose']);
      o.on('routerclose', () => objects.delete(o.id));
      return { id: o.id };
    }
    case 'produce':
      return producerSnapshot(await (target as unknown as WebRtcTransport).produce(a));
    case 'consume':
      return consumerSnapshot(await (target as unknown as WebRtcTransport).consume(a));
    case 'restartIce':
    case 'connect':
    case 'setMaxIncomingBitrate':
    case 'getStats':
    case 'pause':
    case 'resume':
    case 'setPreferredLayers':
    case 'requestKeyFrame':
    case 'addProducer':
    case 'removeProducer':
      return await (target[c.method] as (...args: unknown[]) => unknown).apply(target, c.args);
    case 'close':
      (target.close as () => void).call(target);
      objects.delete(c.target);
      return undefined;
    default:
      throw new AppError('VALIDATION_FAILED', `No engine method ${c.method}`);
  }
}

port.on('message', (c: ThreadCall) => {
  call(c).then(
    (value) => post({ type: 'result', callId: c.callId, value }),
    (error: unknown) =>
      post({
        type: 'error',
        callId: c.callId,
        code: error instanceof AppError ? error.code : undefined,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
post({ type: 'ready' });
