import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedServer } from '../server/EmbeddedServer.js';

export interface SuiteStore {
  readonly server: EmbeddedServer;
  readonly client: MongoClient;
  /** The suite's own database. */
  readonly db: Db;
}

/**
 * An embedded store on a free port for one test file, with the official driver connected to `dbName`: started
 * before the file's tests and stopped after them. Read its fields inside tests (they exist once started).
 */
export function storeForSuite(dbName: string): SuiteStore {
  let server: EmbeddedServer | undefined;
  let client: MongoClient | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite store is read before its beforeAll started it');
    return value;
  };
  beforeAll(async () => {
    server = await EmbeddedServer.start({ port: 0 });
    client = await new MongoClient(server.uri).connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
    get db() {
      return started(client).db(dbName);
    },
  };
}
