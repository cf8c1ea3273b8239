// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson as reply, startTestHttpServer, type TestHttpServer } from '../testing/testHttpServer.js';
import { SessionClient } from './SessionClient.js';

const user = {
  id: 'a'.repeat(24),
  username: 'doctor.a',
  role: 'clinic_doctor',
  name: { ar: 'د. أ', latin: 'Dr A' },
  organizationId: 'b'.repeat(24),
  mustChangePassword: false,
};
const session = (token: string) => ({
  accessToken: token,
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  user,
});

/**
 * The session's rules over real HTTP, against a server that plays records' auth answers (records' own contract
 * test runs the same client against the real app): the token lives in memory, TOKEN_EXPIRED refreshes once.
 */
describe('SessionClient', () => {
  let server: TestHttpServer;
  let baseUrl: string;
  let tokenNow = 'token-1';
  let refreshWorks = true;
  const calls: string[] = [];

  beforeAll(async () => {
    server = await startTestHttpServer((req, res) => {
      calls.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.url === '/api/auth/login') return reply(res, 200, session(tokenNow));
      if (req.url === '/api/auth/refresh') {
        if (!refreshWorks) return reply(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } });
        tokenNow = 'token-2';
        return reply(res, 200, session(tokenNow));
      }
      if (req.url === '/api/auth/logout') return reply(res, 204);
      if (req.headers.authorization !== `Bearer ${tokenNow}`)
        return reply(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'The session expired.' } });
      return reply(res, 200, user);
    });
    baseUrl = server.baseUrl;
  });
  afterAll(() => server.stop());

  it('signs in, refreshes once on TOKEN_EXPIRED and retries with the new token', async () => {
    const client = new SessionClient(baseUrl);
    const seen: (string | null)[] = [];
    client.subscribe((u) => seen.push(u?.username ?? null));
    expect((await client.login({ username: 'doctor.a', password: 'x' })).username).toBe('doctor.a');
    tokenNow = 'token-rotated-by-the-server';
    calls.length = 0;
    expect((await client.call('getMe')).username).toBe('doctor.a');
    expect(calls).toEqual([
      'GET /api/auth/me Bearer token-1',
      'POST /api/auth/refresh -',
      'GET /api/auth/me Bearer token-2',
    ]);
    await client.logout();
    expect(client.user).toBeNull();
    expect(seen).toEqual(['doctor.a', 'doctor.a', null]);
  });

  it('signs out and lets TOKEN_EXPIRED through when the refresh fails', async () => {
    refreshWorks = true;
    tokenNow = 'token-1';
    const client = new SessionClient(baseUrl);
    await client.login({ username: 'doctor.a', password: 'x' });
    tokenNow = 'elsewhere';
    refreshWorks = false;
    await expect(client.call('getMe')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    expect(client.user).toBeNull();
    await expect(client.call('getMe')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
