import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';

/** What one records worker tells the others. */
export interface PeerNotice {
  kind: 'forget-user';
  userId: string;
}

/** The envelopes on the cluster's IPC channels. */
type Envelope =
  | { type: 'telemed:peer-notice'; id: string; notice: PeerNotice }
  | { type: 'telemed:peer-ack'; id: string }
  | { type: 'telemed:peer-done'; id: string };

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Envelope).id === 'string' &&
  ['telemed:peer-notice', 'telemed:peer-ack', 'telemed:peer-done'].includes((value as Envelope).type);

/** How long a worker waits for the others to confirm a notice before going on without them. */
const confirmTimeoutMs = 2000;

/**
 * The other records processes of a cluster (RECORDS_WORKERS > 1). A notice sent here is applied by every
 * other worker before `notify` resolves, so an answer given after it (say, "account deactivated") holds
 * whichever worker serves the next request. Outside a cluster there are no peers: `notify` resolves at once.
 */
export class ClusterPeers {
  readonly #listeners: Array<(notice: PeerNotice) => void> = [];
  readonly #waiting = new Map<string, () => void>();

  constructor() {
    if (!cluster.isWorker) return;
    process.on('message', (message: unknown) => {
      if (!isEnvelope(message)) return;
      if (message.type === 'telemed:peer-notice') {
        for (const listener of this.#listeners) listener(message.notice);
        process.send?.({ type: 'telemed:peer-ack', id: message.id } satisfies Envelope);
      } else if (message.type === 'telemed:peer-done') {
        this.#waiting.get(message.id)?.();
      }
    });
  }

  notify(notice: PeerNotice): Promise<void> {
    if (!cluster.isWorker || !process.send) return Promise.resolve();
    const id = randomUUID();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, confirmTimeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#waiting.set(id, () => {
        this.#waiting.delete(id);
        done();
      });
      process.send?.({ type: 'telemed:peer-notice', id, notice } satisfies Envelope);
    });
  }

  onNotice(listener: (notice: PeerNotice) => void): void {
    this.#listeners.push(listener);
  }

  /** In the primary: passes each worker's notices to all the others and tells it once they applied them. */
  static relayBetweenWorkers(): void {
    const pending = new Map<string, { origin: Worker; awaiting: Set<number> }>();
    const settle = (id: string) => {
      const entry = pending.get(id);
      if (!entry || entry.awaiting.size > 0) return;
      pending.delete(id);
      if (entry.origin.isConnected()) entry.origin.send({ type: 'telemed:peer-done', id } satisfies Envelope);
    };
    cluster.on('message', (from, message: unknown) => {
      if (!isEnvelope(message)) return;
      if (message.type === 'telemed:peer-notice') {
        const others = Object.values(cluster.workers ?? {}).filter(
          (worker): worker is Worker => worker !== undefined && worker !== from && worker.isConnected(),
        );
        pending.set(message.id, { origin: from, awaiting: new Set(others.map((worker) => worker.id)) });
        for (const worker of others) worker.send(message);
        settle(message.id);
      } else if (message.type === 'telemed:peer-ack') {
        pending.get(message.id)?.awaiting.delete(from.id);
        settle(message.id);
      }
    });
    // A worker that dies will not answer: stop waiting for it.
    cluster.on('exit', (worker) => {
      for (const [id, entry] of pending) {
        entry.awaiting.delete(worker.id);
        settle(id);
      }
    });
  }
}
