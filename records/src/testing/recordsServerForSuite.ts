import { afterAll, beforeAll } from 'vitest';
import { createFixtures, type Fixtures, signIn } from './fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from './recordsTestServer.js';

/** What a suite of route tests works with; filled in before its first test. */
export interface RecordsSuite {
  server: RecordsTestServer;
  f: Fixtures;
  /** An access token for each of the fixture accounts the suite signed in, by username. */
  readonly tokens: Record<string, string>;
}

/**
 * A records test server with the fixtures, and `usernames` signed in, for the suite this is called in: started
 * before its tests, stopped after them.
 */
export function recordsServerForSuite(usernames: readonly string[]): RecordsSuite {
  const suite = { tokens: {} } as RecordsSuite;
  beforeAll(async () => {
    suite.server = await startRecordsTestServer();
    suite.f = await createFixtures(suite.server.models);
    for (const name of usernames) suite.tokens[name] = await signIn(suite.server, name);
  });
  afterAll(() => suite.server?.stop());
  return suite;
}
