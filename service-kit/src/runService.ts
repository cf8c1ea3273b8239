import { ConfigError } from '@telemed/shared';
import type { Logger } from './logger.js';

/** A started service: `stop` closes listeners and connections, and resolves when nothing is left open. */
export interface RunningService {
  stop(): Promise<void>;
}

/**
 * Runs a service's start function as a process: a configuration error exits 78 with its message,
 * SIGINT/SIGTERM stop it cleanly (a second signal, or 10 s, forces the exit).
 */
export async function runService(logger: Logger, start: () => Promise<RunningService>): Promise<void> {
  let service: RunningService;
  try {
    service = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('stop took over 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    service.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
