import { Agent, request } from 'node:http';
import { createSfuControlClient, type SfuControlMethod, sfuControlMethods } from '@telemed/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSfu, testSecret } from '../testing/testSfu.js';
import type { StartedSfu } from './SfuService.js';

/** Fixed so a failure replays; FUZZ_SEED overrides, and fast-check prints the seed of a failing run. */
const seed = Number(process.env.FUZZ_SEED ?? 2024);
const fuzzTimeMs = 25_000;
const room = 'fuzz-room';
const audio = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 1111 }],
  rtcp: { cname: 'fuzz' },
};

interface Answer {
  status: number;
  body: string;
}

/** Every route, every field: random types, huge and deep values, operators, `__proto__`, bad bytes and headers. */
describe('SFU control API under random input', () => {
  let sfu: StartedSfu;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const templates = {} as Record<SfuControlMethod, Record<string, unknown>>;

  beforeAll(async () => {
    sfu = await startTestSfu({ SFU_RTC_MIN_PORT: 45000, SFU_RTC_MAX_PORT: 45199 });
    const call = createSfuControlClient({ url: sfu.url, secret: testSecret });
    const { rtpCapabilities } = await call('createRoom', { roomId: room });
    const send = await call('createWebRtcTransport', { roomId: room, direction: 'send' });
    const recv = await call('createWebRtcTransport', { roomId: room, direction: 'recv' });
    const { producerId } = await call('produce', {
      roomId: room,
      transportId: send.transportId,
      kind: 'audio',
      rtpParameters: audio,
    });
    const { consumerId } = await call('consume', {
      roomId: room,
      transportId: recv.transportId,
      producerId,
      rtpCapabilities,
    });
    // Valid requests on live entities, so that a changed field reaches the handlers, not only the schema.
    // What would create or close entities aims at a room that does not exist, so the fixture stays alive.
    const other = 'fuzz-elsewhere';
    Object.assign(templates, {
      createRoom: { roomId: room },
      closeRoom: { roomId: other },
      getRouterRtpCapabilities: { roomId: room },
      createWebRtcTransport: { roomId: other, direction: 'send', appData: {} },
      connectWebRtcTransport: {
        roomId: room,
        transportId: send.transportId,
        dtlsParameters: send.dtlsParameters,
      },
      restartIce: { roomId: room, transportId: recv.transportId },
      setMaxIncomingBitrate: { roomId: room, transportId: send.transportId, bitrate: 500_000 },
      closeTransport: { roomId: other, transportId: send.transportId },
      produce: {
        roomId: room,
        transportId: send.transportId,
        kind: 'audio',
        rtpParameters: audio,
        appData: {},
      },
      pauseProducer: { roomId: room, producerId },
      resumeProducer: { roomId: room, producerId },
      closeProducer: { roomId: other, producerId },
      consume: { roomId: room, transportId: recv.transportId, producerId, rtpCapabilities },
      pauseConsumer: { roomId: room, consumerId },
      resumeConsumer: { roomId: room, consumerId },
      closeConsumer: { roomId: other, consumerId },
      setConsumerPreferredLayers: { roomId: room, consumerId, spatialLayer: 0, temporalLayer: 0 },
      requestConsumerKeyFrame: { roomId: room, consumerId },
      getRoomStats: { roomId: room },
      describeTransports: { roomId: room, transportIds: [send.transportId, recv.transportId] },
      getLoad: {},
      pollEvents: { afterSeq: 0, waitMs: 0 },
    } satisfies Record<SfuControlMethod, Record<string, unknown>>);
  });

  afterAll(async () => {
    agent.destroy();
    await sfu?.stop();
  });

  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(`${sfu.url}${path}`, { method, agent, headers, timeout: 10_000 });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} got no answer within 10 s`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.end(body);
    });
  }

  const methodNames = Object.keys(sfuControlMethods) as SfuControlMethod[];
  const hostile = fc.oneof(
    fc.anything({ maxDepth: 3, withNullPrototype: true }),
    fc.constantFrom({ $gt: '' }, { $where: '1' }, [], null, -1, 1e308, '', '../../etc/passwd', 'constructor'),
    fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
    fc.nat({ max: 60_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.nat({ max: 30_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    fc.string({ unit: 'binary', maxLength: 80 }),
  );
  /** JSON text that may hold a raw fragment (deep nesting) and a literal `__proto__` key. */
  const field = fc.oneof(
    hostile.map((value) =>
      typeof value === 'string' && /^[[{]/.test(value) ? value : (JSON.stringify(value) ?? 'null'),
    ),
    fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}'),
  );
  const key = fc.oneof(
    fc.constantFrom(
      'roomId',
      'transportId',
      'producerId',
      'consumerId',
      'direction',
      'appData',
      'dtlsParameters',
      'rtpParameters',
      'rtpCapabilities',
      'kind',
      'bitrate',
      'spatialLayer',
      'temporalLayer',
      'afterSeq',
      'waitMs',
      '__proto__',
      'constructor',
    ),
    fc.string({ maxLength: 20 }),
  );
  /** A route's valid request with one field replaced (or added), as raw JSON text. */
  const mutated = fc
    .record({ method: fc.constantFrom(...methodNames), key, value: field })
    .map(({ method, key, value }) => {
      const template = { ...templates[method] };
      // The long poll would hold the request for up to 30 s; keep it short without changing the other fields.
      if (method === 'pollEvents') template.waitMs = 0;
      const entries = Object.entries(template).filter(([name]) => name !== key);
      const text = `{${[...entries.map(([name, v]) => `${JSON.stringify(name)}:${JSON.stringify(v)}`), `${JSON.stringify(key)}:${value}`].join(',')}}`;
      return { method, text };
    });
  const wholeBody = fc.record({
    method: fc.oneof(
      fc.constantFrom(...methodNames),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'),
      fc.stringMatching(/^[A-Za-z]{1,30}$/),
    ),
    text: field,
  });
  const body = fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: wholeBody });
  const encoding = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ headers: {}, bytes: (text: string) => Buffer.from(text) }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'xyz').map((ce) => ({
        headers: { 'content-encoding': ce },
        bytes: (text: string) => Buffer.from(text),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        headers: { 'content-type': 'application/json; charset=latin1' },
        bytes: (text: string) =>
          Buffer.concat([Buffer.from(text), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff])]),
      }),
    },
  );
  const secret = fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | undefined>(`Bearer ${testSecret}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | undefined>(
        undefined,
        'Bearer ',
        `Bearer ${testSecret}x`,
        testSecret,
        `Basic ${testSecret}`,
      ),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,300}$/).map((s) => `Bearer ${s}`) },
  );
  const httpMethod = fc.oneof(
    { weight: 8, arbitrary: fc.constant('POST') },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') },
  );

  it('never answers 5xx, and keeps working', async () => {
    const failures: unknown[] = [];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(body, encoding, secret, httpMethod, async ({ method, text }, enc, auth, verb) => {
        runs++;
        const headers: Record<string, string> = { 'content-type': 'application/json', ...enc.headers };
        if (auth !== undefined) headers.authorization = auth;
        const bytes = enc.bytes(text);
        // Node's client sends a GET's body without a length unless told: the server would read it as a new request.
        headers['content-length'] = String(bytes.length);
        const answer = await send(verb, `/v1/${method}`, headers, bytes);
        let parsed: unknown;
        try {
          parsed = JSON.parse(answer.body);
        } catch {
          parsed = undefined;
        }
        const ok =
          answer.status < 500 &&
          (answer.status === 200 ||
            (typeof parsed === 'object' && parsed !== null && 'error' in parsed && answer.status >= 400));
        if (!ok)
          failures.push({
            method,
            verb,
            status: answer.status,
            body: answer.body.slice(0, 300),
            sent: text.slice(0, 300),
          });
        expect(ok, JSON.stringify(failures.at(-1))).toBe(true);
      }),
      { seed, numRuns: 1_000_000, interruptAfterTimeLimit: fuzzTimeMs, markInterruptAsFailure: false },
    );
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThan(50);
    expect((await fetch(`${sfu.url}/healthz`)).status).toBe(200);
    const call = createSfuControlClient({ url: sfu.url, secret: testSecret });
    expect(
      (await call('getRouterRtpCapabilities', { roomId: room })).rtpCapabilities.codecs?.length,
    ).toBeGreaterThan(0);
    expect((await call('getLoad', {})).rooms).toBeGreaterThanOrEqual(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
