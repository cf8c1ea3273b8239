import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestLogger, requestIdFrom } from './requestLogger.js';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

describe('createRequestLogger', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function serve(status: number): Promise<{ base: string; lines: LogLine[] }> {
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const logRequest = createRequestLogger(logger);
    server = createServer((req, res) => {
      logRequest(req, res);
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":1}'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, lines };
  }

  async function lineFor(lines: LogLine[]): Promise<LogLine> {
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThan(0);
    return lines[0]!;
  }

  it('logs method, path, status, duration and the caller’s request id, which it sends back', async () => {
    const { base, lines } = await serve(201);
    const answer = await fetch(`${base}/api/patients`, {
      method: 'POST',
      headers: { 'x-request-id': 'sig-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fatima Al-Sayed', nationalId: '29001011234567' }),
    });
    expect(answer.headers.get('x-request-id')).toBe('sig-1234');
    const line = await lineFor(lines);
    expect(line).toMatchObject({
      level: 30,
      requestId: 'sig-1234',
      req: { method: 'POST', path: '/api/patients' },
      res: { status: 201 },
      msg: 'POST /api/patients 201',
    });
    expect(line.durationMs).toEqual(expect.any(Number));
  });

  it('never logs the query string, the body or the headers (names, national IDs, tokens)', async () => {
    const { base, lines } = await serve(200);
    await fetch(`${base}/api/patients?q=Fatima%20Al-Sayed&nationalId=29001011234567`, {
      headers: { authorization: 'Bearer secret-token', cookie: 'refresh=secret-cookie' },
    });
    const text = JSON.stringify(await lineFor(lines));
    for (const secret of ['Fatima', '29001011234567', 'secret-token', 'secret-cookie', 'q='])
      expect(text).not.toContain(secret);
    expect(text).toContain('/api/patients');
  });

  it('logs a server fault at error level and leaves health probes out', async () => {
    const { base, lines } = await serve(503);
    await fetch(`${base}/readyz`);
    await fetch(`${base}/api/reports/consultations`);
    const line = await lineFor(lines);
    expect(line).toMatchObject({
      level: 50,
      res: { status: 503 },
      req: { path: '/api/reports/consultations' },
    });
    expect(lines.filter((l) => (l.req as { path: string }).path === '/readyz')).toEqual([]);
  });

  it('replaces a request id that could forge a log line or a header with a new one', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    for (const forged of ['a\nb', 'x'.repeat(65), 'a b', '"quoted"', ''])
      expect(requestIdFrom(forged)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });
});
