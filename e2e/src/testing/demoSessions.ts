import type { RunningPlatform } from '@telemed/launcher';
import { createRecordsClient, type RecordsClient, type SessionResponse } from '@telemed/shared';

/** Signs in one of the demo accounts `npm start` seeded, through the records API. */
export async function signInDemo(
  platform: RunningPlatform,
  username: string | undefined,
): Promise<SessionResponse> {
  const account = platform.demoAccounts.find((a) => a.username === username);
  if (!account) throw new Error(`no demo account ${username}`);
  return createRecordsClient({ baseUrl: platform.urls.records }).call('login', {
    body: { username: account.username, password: account.password },
  });
}

/** The typed records client, acting as `session`'s user. */
export function recordsClientAs(platform: RunningPlatform, session: SessionResponse): RecordsClient {
  return createRecordsClient({ baseUrl: platform.urls.records, accessToken: () => session.accessToken });
}
