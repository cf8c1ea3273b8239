import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Logger, RunningService } from '@telemed/service-kit';
import type { Config } from '@telemed/shared';
import { createRecordsApp } from './createRecordsApp.js';
import { connectDatabase } from './db/connectDatabase.js';

export type RecordsConfig = Config<'HOST' | 'RECORDS_PORT' | 'MONGODB_URI'>;

export const defaultMongoUri = 'mongodb://127.0.0.1:27017/telemed';

export interface RunningRecordsService extends RunningService {
  url: string;
}

/** Connects to the database, then serves the API; `stop` closes the listener and then the connection. */
export async function startRecordsService(
  config: RecordsConfig,
  logger: Logger,
): Promise<RunningRecordsService> {
  const connection = await connectDatabase(config.MONGODB_URI ?? defaultMongoUri);
  const app = createRecordsApp({ connection, logger });
  const server = app.listen(config.RECORDS_PORT, config.HOST);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  logger.info({ url }, 'records service listening');
  return {
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}
