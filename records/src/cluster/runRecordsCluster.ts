import cluster from 'node:cluster';
import type { Logger } from '@telemed/service-kit';
import type { RecordsConfig } from '../startRecordsService.js';
import { prepareSigningKey } from '../startRecordsService.js';
import { ClusterPeers } from './ClusterPeers.js';

/**
 * The primary of a records cluster: RECORDS_WORKERS processes share the port (node cluster), each a whole
 * records service on the same database. The primary only starts, watches and stops them: a worker that
 * crashes in service is replaced; one that cannot start stops the whole cluster with its exit code (a bad
 * configuration must not turn into a restart loop).
 */
export function runRecordsCluster(config: RecordsConfig, logger: Logger): void {
  // Generated here, once, so that the workers do not race to create it.
  prepareSigningKey(config);
  ClusterPeers.relayBetweenWorkers();
  // Workers that reached `listening`: one that dies before is failing to start, not crashing in service.
  const serving = new Set<number>();
  let stopping = false;
  cluster.on('listening', (worker) => serving.add(worker.id));

  cluster.on('exit', (worker, code, signal) => {
    const wasServing = serving.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        // A failed start keeps its exit code.
        process.exit(process.exitCode ?? 0);
      }
      return;
    }
    if (!wasServing) {
      logger.fatal({ worker: worker.id, code, signal }, 'a records worker failed to start: stopping');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = code || 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode);
      return;
    }
    logger.error(
      { worker: worker.id, code, signal },
      'a records worker stopped unexpectedly: starting another',
    );
    cluster.fork();
  });

  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal, workers: config.RECORDS_WORKERS }, 'stopping');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('stop took over 10 s: exiting');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  logger.info({ workers: config.RECORDS_WORKERS }, 'starting records workers');
  for (let i = 0; i < config.RECORDS_WORKERS; i++) cluster.fork();
}
