import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordsClient, RecordsApiError } from './recordsClient.js';

/**
 * The client's own rules, over real HTTP against a server that answers what records must never answer (a body
 * that breaks the contract, an error without the error body): records' contract test covers the real app.
 */
describe('the records client', () => {
  let server: Server;
  let baseUrl: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const seen: { url: string; authorization?: string; language?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
        language: req.headers['accept-language'],
      });
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const client = (locale: 'ar' | 'en' = 'en') =>
    createRecordsClient({ baseUrl, accessToken: () => 'a-token', locale: () => locale });

  it('builds the path from the table, encodes parameters and query, sends the token and the locale', async () => {
    answer = json(200, { items: [], page: 1, limit: 5, hasMore: false });
    seen.length = 0;
    await client('ar').call('searchPatients', { query: { q: 'فاطمة علي', limit: 5 } });
    expect(seen[0]).toEqual({
      url: `/api/patients?q=${encodeURIComponent('فاطمة علي').replace(/%20/g, '+')}&limit=5`,
      authorization: 'Bearer a-token',
      language: 'ar',
    });
  });

  it('refuses a call without a path parameter before sending it', async () => {
    seen.length = 0;
    await expect(client().call('getPatient', { params: { id: '' } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'GET /api/patients/:id needs the parameter "id".',
    });
    expect(seen).toEqual([]);
  });

  it('refuses an answer that breaks the contract, naming the route and the fields', async () => {
    answer = json(200, { id: 'u1', username: 'doctor.a', role: 'surgeon', mustChangePassword: 'no' });
    const error = await client()
      .call('getMe')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordsApiError);
    expect(error).toMatchObject({ code: 'CONTRACT_MISMATCH', status: 502 });
    const message = (error as RecordsApiError).message;
    expect(message).toContain('getMe: GET /api/auth/me');
    expect(message).toContain('role');
    expect(message).toContain('mustChangePassword');
    expect((error as RecordsApiError).details?.map((d) => d.path)).toEqual(
      expect.arrayContaining(['role', 'name', 'organizationId', 'mustChangePassword']),
    );
  });

  it('refuses a success status the route does not answer, and an answer that is not JSON', async () => {
    answer = json(200, {});
    await expect(client().call('logout')).rejects.toMatchObject({ code: 'CONTRACT_MISMATCH' });
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>a proxy page</html>');
    };
    await expect(client().call('getMe')).rejects.toMatchObject({
      code: 'CONTRACT_MISMATCH',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('turns an error body into its code, message, status and details', async () => {
    answer = json(409, { error: { code: 'STALE_WRITE', message: 'Someone saved first.' } });
    await expect(
      client().call('signConsultation', { params: { id: 'a'.repeat(24) }, body: { version: 1 } }),
    ).rejects.toMatchObject({ code: 'STALE_WRITE', message: 'Someone saved first.', status: 409 });
    answer = json(400, {
      error: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ path: 'sex', message: 'no' }] },
    });
    await expect(client().call('getMe')).rejects.toMatchObject({
      details: [{ path: 'sex', message: 'no' }],
    });
  });

  it('names a failure without an error body by its status, in the person’s language', async () => {
    answer = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('bad gateway');
    };
    await expect(client('ar').call('getMe')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 502,
      message: 'الخدمة غير متاحة حالياً، حاول بعد قليل.',
    });
  });

  it('answers UNAUTHENTICATED without a call when there is no token, and says when records is unreachable', async () => {
    seen.length = 0;
    const anonymous = createRecordsClient({ baseUrl, accessToken: () => undefined });
    await expect(anonymous.call('getMe')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(seen).toEqual([]);
    const unreachable = createRecordsClient({
      baseUrl: 'http://127.0.0.1:1',
      networkErrorMessage: () => 'No connection.',
    });
    await expect(unreachable.call('getJwks')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 0,
      network: true,
      message: 'No connection.',
    });
  });
});
