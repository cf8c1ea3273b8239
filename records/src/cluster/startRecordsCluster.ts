import cluster from 'node:cluster';
import type { Logger, RunningService } from '@telemed/service-kit';
import type { RecordsConfig } from '../startRecordsService.js';
import { prepareSigningKey } from '../startRecordsService.js';
import { ClusterPeers } from './ClusterPeers.js';

/**
 * The primary of a records cluster: RECORDS_WORKERS processes share the port (node cluster), each a whole
 * records service on the same database. The primary only starts, watches and stops them. It is started once
 * every worker listens; a worker that crashes in service is replaced; one that cannot start (at start-up or
 * as a replacement) stops the whole cluster with an error, so a bad configuration never becomes a restart loop.
 */
export async function startRecordsCluster(config: RecordsConfig, logger: Logger): Promise<RunningService> {
  // Generated here, once, so that the workers do not race to create it.
  prepareSigningKey(config);
  ClusterPeers.relayBetweenWorkers();
  // Workers that reached `listening`: one that dies before is failing to start, not crashing in service.
  const serving = new Set<number>();
  let stopping = false;
  let stopped: () => void = () => {};
  const allStopped = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const stopWorkers = () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) stopped();
    for (const worker of workers) worker?.process.kill('SIGTERM');
  };

  const started = new Promise<void>((resolve, reject) => {
    cluster.on('listening', (worker) => {
      serving.add(worker.id);
      if (serving.size === config.RECORDS_WORKERS) resolve();
    });
    cluster.on('exit', (worker, code, signal) => {
      const wasServing = serving.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) stopped();
        return;
      }
      if (wasServing) {
        logger.error(
          { worker: worker.id, code, signal },
          'a records worker stopped unexpectedly: starting another',
        );
        cluster.fork();
        return;
      }
      const failure = new Error(`a records worker failed to start (exit code ${code}, signal ${signal})`);
      stopWorkers();
      // Before the cluster is up this fails its start; afterwards (a replacement) it ends the process.
      reject(failure);
      void allStopped.then(() => {
        logger.fatal({ err: failure }, 'records cluster stopped');
        process.exit(code || 1);
      });
    });
  });

  logger.info({ workers: config.RECORDS_WORKERS }, 'starting records workers');
  for (let i = 0; i < config.RECORDS_WORKERS; i++) cluster.fork();
  await started;
  return {
    stop() {
      stopWorkers();
      return allStopped;
    },
  };
}
