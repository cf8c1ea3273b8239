import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { errorBodySchema } from '@telemed/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capturedLogger, type LogLine } from '../../testing/capturedLogger.js';
import { cardiologyBooking, createFixtures, signIn, tomorrowAt } from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';

const levelWarn = 40;

/**
 * Requests that break below the routes (a body that cannot be decoded, a path that cannot be
 * percent-decoded) are the client's fault: a 4xx with the usual error body, and at most a warn line without
 * a stack, so that nobody can flood the error log without even a token.
 */
describe('malformed requests', () => {
  let server: RecordsTestServer;
  let lines: LogLine[];
  let cardio: string;
  let consultationId: string;

  beforeAll(async () => {
    const captured = capturedLogger();
    lines = captured.lines;
    server = await startRecordsTestServer(undefined, captured.logger);
    const f = await createFixtures(server.models);
    const admin = await signIn(server, 'admin');
    cardio = await signIn(server, 'cardio');
    const appointment = await server.call('POST', '/api/appointments', {
      token: admin,
      body: cardiologyBooking(f, { start: tomorrowAt(16), end: tomorrowAt(16, 30) }),
    });
    const consultation = await server.call('GET', `/api/appointments/${appointment.body.id}/consultation`, {
      token: cardio,
    });
    consultationId = consultation.body.id;
  });
  afterAll(() => server?.stop());
  beforeEach(() => {
    lines.length = 0;
  });

  function expectNoErrorLines() {
    const loud = lines.filter((line) => line.level > levelWarn || line.err !== undefined);
    expect(loud).toEqual([]);
  }

  const undecodable: [string, Record<string, string>, string | Buffer, number, string][] = [
    ['an unknown content-encoding', { 'content-encoding': 'xyz' }, 'x', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['gzip over a plain body', { 'content-encoding': 'gzip' }, '{"a":1}', 400, 'VALIDATION_FAILED'],
    ['deflate over a plain body', { 'content-encoding': 'deflate' }, '{"a":1}', 400, 'VALIDATION_FAILED'],
    ['br over a plain body', { 'content-encoding': 'br' }, '{"a":1}', 400, 'VALIDATION_FAILED'],
    [
      'a gzip body cut short',
      { 'content-encoding': 'gzip' },
      gzipSync('{"username":"a","password":"b"}').subarray(0, 12),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a latin1 charset',
      { 'content-type': 'application/json; charset=latin1' },
      '{"a":1}',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'an unknown charset',
      { 'content-type': 'application/json; charset=utf-99' },
      '{"a":1}',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ];

  it.each(undecodable)(
    'answers %s on sign-in, with no token, by a 4xx and no error-level log line',
    async (_what, headers, rawBody, status, code) => {
      const res = await server.call('POST', '/api/auth/login', {
        rawBody,
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(res.status).toBe(status);
      expect(errorBodySchema.parse(res.body).error.code).toBe(code);
      expectNoErrorLines();
    },
  );

  it.each(undecodable)(
    'answers %s on an authenticated JSON route by a 4xx',
    async (_what, headers, rawBody, status, code) => {
      const res = await server.call('POST', '/api/patients', {
        token: cardio,
        rawBody,
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(res.status).toBe(status);
      expect(errorBodySchema.parse(res.body).error.code).toBe(code);
      expectNoErrorLines();
    },
  );

  it.each([
    ['an unknown content-encoding', 'xyz', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['gzip over a plain body', 'gzip', 400, 'VALIDATION_FAILED'],
    ['br over a plain body', 'br', 400, 'VALIDATION_FAILED'],
  ])('answers %s on the attachment upload (raw body) by a 4xx', async (_what, encoding, status, code) => {
    const res = await server.call('POST', `/api/consultations/${consultationId}/attachments`, {
      token: cardio,
      rawBody: Buffer.from('%PDF-1.4 not compressed'),
      headers: { 'content-type': 'application/pdf', 'content-encoding': encoding },
    });
    expect(res.status).toBe(status);
    expect(errorBodySchema.parse(res.body).error.code).toBe(code);
    expectNoErrorLines();
  });

  it.each([
    '/api/patients/%zz',
    '/api/patients/%',
    '/api/patients/%C0%AF',
    '/api/patients/%ED%A0%80',
    '/api/consultations/%zz/attachments/%E0%A4%A',
    '/api/appointments/%zz/consultation',
  ])('answers the malformed percent-encoding of %s by 400, with a valid token', async (path) => {
    const res = await server.call('GET', path, { token: cardio });
    expect(res.status).toBe(400);
    expect(errorBodySchema.parse(res.body).error.code).toBe('VALIDATION_FAILED');
    expectNoErrorLines();
  });

  it('logs a body cut off by the client (request.aborted) at warn at most, and answers what it can', async () => {
    const { hostname, port } = new URL(server.baseUrl);
    const socket = connect(Number(port), hostname);
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });
    socket.write(
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\nConnection: close\r\n\r\n{"username":',
    );
    // The client gives up half-way: the socket closes with 988 bytes never sent.
    setTimeout(() => socket.end(), 100);
    const text = await answer;
    if (text) expect(text).toMatch(/^HTTP\/1\.1 4\d\d /);
    await expect.poll(() => lines.some((line) => line.msg?.includes('ended before'))).toBe(true);
    expectNoErrorLines();
  });
});
