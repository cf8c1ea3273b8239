// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionClient } from './SessionClient.js';

/** The little of node:http the test uses: web-ui is compiled with the browser's types only, not Node's. */
interface IncomingMessage {
  method?: string;
  url?: string;
  headers: Record<string, string | undefined>;
}
interface ServerResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  end(body?: string): void;
}
interface Server {
  listen(port: number, host: string, done: () => void): void;
  address(): { port: number };
  close(done: () => void): void;
}
const nodeHttp = 'node:http';
const { createServer } = (await import(/* @vite-ignore */ nodeHttp)) as {
  createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server;
};

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
  let server: Server;
  let baseUrl: string;
  let tokenNow = 'token-1';
  let refreshWorks = true;
  const calls: string[] = [];
  const reply = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
