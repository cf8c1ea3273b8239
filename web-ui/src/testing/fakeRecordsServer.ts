import { type ErrorCode, errorCatalog, type SessionUser } from '@telemed/shared';
import {
  sendJson as send,
  startTestHttpServer,
  type TestRequest,
  type TestResponse,
} from './testHttpServer.js';

export interface FakeRequest {
  url: URL;
  body: unknown;
}
/** An answer: the body (200), or a status and a body. */
export type FakeAnswer = unknown | { status: number; body?: unknown };
export type FakeRoute = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeRecordsOptions {
  user: SessionUser;
  password: string;
  /** By `METHOD /path`, e.g. `GET /api/appointments`; each is reached only with the signed-in token. */
  routes: Record<string, FakeRoute>;
}

export interface FakeRecords {
  baseUrl: string;
  /** `METHOD /path?query` of every call, in order. */
  readonly calls: string[];
  stop(): Promise<void>;
}

const token = 'fake-access-token';

/**
 * A records server over real HTTP that plays records' auth answers and the routes a test gives (web-ui may not
 * import records; records' own contract tests run the typed client against the real app). The apps' screens
 * talk to it through the real SessionClient, typed records client and TanStack Query, so every answer is
 * parsed against the route table's schemas as in production.
 */
export async function startFakeRecords(options: FakeRecordsOptions): Promise<FakeRecords> {
  const calls: string[] = [];
  let user: SessionUser | null = null;

  const refuse = (res: TestResponse, req: TestRequest, code: ErrorCode) => {
    const entry = errorCatalog[code];
    const locale = req.headers['accept-language']?.startsWith('en') ? 'en' : 'ar';
    send(res, entry.status, { error: { code, message: entry[locale] } });
  };
  const session = () => ({
    accessToken: token,
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    user,
  });

  async function handle(req: TestRequest, res: TestResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    let text = '';
    for await (const chunk of req) text += new TextDecoder().decode(chunk);
    // An upload's body is the file's bytes, not JSON.
    const isJson = (req.headers['content-type'] ?? 'application/json').includes('json');
    const body: unknown = text && isJson ? JSON.parse(text) : text || undefined;
    const route = `${req.method} ${url.pathname}`;

    if (route === 'POST /api/auth/login') {
      const { username, password } = body as { username: string; password: string };
      if (username !== options.user.username || password !== options.password) {
        return refuse(res, req, 'INVALID_CREDENTIALS');
      }
      user = options.user;
      return send(res, 200, session());
    }
    if (route === 'POST /api/auth/refresh')
      return user ? send(res, 200, session()) : refuse(res, req, 'UNAUTHENTICATED');
    if (route === 'POST /api/auth/logout') {
      user = null;
      return send(res, 204);
    }
    if (!user || req.headers.authorization !== `Bearer ${token}`) return refuse(res, req, 'UNAUTHENTICATED');
    if (route === 'POST /api/auth/password') {
      user = { ...user, mustChangePassword: false };
      return send(res, 200, session());
    }
    const handler = options.routes[route];
    if (!handler) return refuse(res, req, 'NOT_FOUND');
    const answer = await handler({ url, body });
    if (answer && typeof answer === 'object' && 'status' in answer && typeof answer.status === 'number') {
      return send(res, answer.status, (answer as { body?: unknown }).body);
    }
    return send(res, 200, answer);
  }

  const server = await startTestHttpServer(handle);
  return { baseUrl: server.baseUrl, calls, stop: server.stop };
}
