import { Agent, request } from 'node:http';
import { AppError, createSfuControlClient } from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPeerViaApi } from '../testing/apiPeer.js';
import { startTestSfu, testSecret } from '../testing/testSfu.js';
import type { StartedSfu } from './SfuService.js';
import { loadSfuConfig } from './sfuConfig.js';
import { turnIceServers } from './turnCredentials.js';

// Once with the in-process engine the other tests use, once with the service's own choice (worker threads).
describe.each([
  { label: 'in-process werift', engine: 'inprocess' as const, ports: [44000, 44499] },
  { label: 'werift on worker threads', engine: 'service' as const, ports: [44500, 44999] },
])('SFU control API ($label)', ({ engine, ports }) => {
  let sfu: StartedSfu;
  beforeAll(async () => {
    sfu = await startTestSfu(
      {
        SFU_RTC_MIN_PORT: ports[0],
        SFU_RTC_MAX_PORT: ports[1],
        TURN_URLS: ['turn:turn.example.org:3478?transport=tcp'],
        TURN_SECRET: 'coturn-static-auth-secret',
      },
      { engine },
    );
  });
  afterAll(async () => {
    await sfu?.stop();
  });

  it('answers /healthz and /readyz with the engine alive', async () => {
    const ready = await fetch(`${sfu.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { engine: { ok: boolean; detail: string } } };
    expect(body.checks.engine.ok).toBe(true);
    expect(body.checks.engine.detail).toMatch(/^werift/);
    expect((await fetch(`${sfu.url}/healthz`)).status).toBe(200);
  });

  it('rejects calls without the secret with 401 and bad input with 400', async () => {
    const noAuth = await fetch(`${sfu.url}/v1/createRoom`, { method: 'POST', body: '{"roomId":"r1"}' });
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const wrong = createSfuControlClient({ url: sfu.url, secret: 'x'.repeat(40) });
    await expect(wrong('getLoad', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const call = createSfuControlClient({ url: sfu.url, secret: testSecret });
    await expect(call('createRoom', { roomId: 'bad room!' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const notJson = await fetch(`${sfu.url}/v1/createRoom`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testSecret}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const compressed = await fetch(`${sfu.url}/v1/createRoom`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testSecret}`, 'content-encoding': 'gzip' },
      body: '{"roomId":"r1"}',
    });
    expect(compressed.status).toBe(400);
    expect(((await compressed.json()) as { error: { message: string } }).error.message).toMatch(
      /uncompressed/,
    );
    await expect(call('getRouterRtpCapabilities', { roomId: 'nope' })).rejects.toMatchObject({
      code: 'ROOM_NOT_FOUND',
    });
    const unknown = await fetch(`${sfu.url}/v1/dropTables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testSecret}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('answers the next request on a keep-alive connection after refusing an oversized body with 413', async () => {
    // One socket for both requests: the second must not wait on the first's unread megabyte.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const exchange = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const req = request(`${sfu.url}${path}`, {
          method,
          agent,
          headers: { authorization: `Bearer ${testSecret}`, 'content-type': 'application/json' },
          timeout: 15_000,
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path} got no answer within 15 s`)));
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }),
          );
        });
        req.end(body);
      });
    try {
      const big = Buffer.from(`{"roomId":"${'a'.repeat(1024 * 1024)}"}`);
      const refused = await exchange('POST', '/v1/createRoom', big);
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      const next = await exchange('POST', '/v1/getLoad', Buffer.from('{}'));
      expect(next.status).toBe(200);
      expect((await fetch(`${sfu.url}/healthz`)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('runs a room: transports with TURN servers, produce, consume, stats, load, events, close', async () => {
    const call = createSfuControlClient({ url: sfu.url, secret: testSecret });
    const room = await call('createRoom', { roomId: 'consult-1' });
    expect(room.created).toBe(true);
    expect((await call('createRoom', { roomId: 'consult-1' })).created).toBe(false);
    const send = await connectPeerViaApi(call, 'consult-1', 'send');
    expect(send.created.iceServers[0]?.username).toMatch(/^\d+:consult-1$/);
    const { producerId } = await call('produce', {
      roomId: 'consult-1',
      transportId: send.created.transportId,
      kind: 'audio',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 1111 }],
        rtcp: { cname: 'c' },
      },
    });
    await expect(
      call('produce', {
        roomId: 'consult-1',
        transportId: send.created.transportId,
        kind: 'video',
        rtpParameters: {
          mid: '1',
          codecs: [{ mimeType: 'video/AV2', payloadType: 50, clockRate: 90000 }],
          encodings: [{ ssrc: 2 }],
        },
      }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    const recv = await connectPeerViaApi(call, 'consult-1', 'recv');
    const consumed = await call('consume', {
      roomId: 'consult-1',
      transportId: recv.created.transportId,
      producerId,
      rtpCapabilities: room.rtpCapabilities,
    });
    expect(consumed.kind).toBe('audio');
    expect(consumed.rtpParameters.codecs[0]?.mimeType).toBe('audio/opus');
    await call('resumeConsumer', { roomId: 'consult-1', consumerId: consumed.consumerId });
    const stats = await call('getRoomStats', { roomId: 'consult-1' });
    expect(stats.transports).toHaveLength(2);
    expect(stats.consumers[0]?.paused).toBe(false);
    const load = await call('getLoad', {});
    expect(load).toMatchObject({ engine: 'werift', rooms: 1, transports: 2, producers: 1, consumers: 1 });
    const seq = (await call('pollEvents', { afterSeq: 0 })).lastSeq;
    await call('closeProducer', { roomId: 'consult-1', producerId });
    const { events } = await call('pollEvents', { afterSeq: seq, waitMs: 2000 });
    await new Promise((r) => setTimeout(r, 10));
    const later = await call('pollEvents', { afterSeq: seq });
    expect(events.length).toBeGreaterThan(0);
    expect(later.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['producerclose', 'consumerclose']),
    );
    expect(later.events.find((e) => e.type === 'consumerclose')).toMatchObject({ reason: 'producerclose' });
    expect((await call('closeRoom', { roomId: 'consult-1' })).closed).toBe(true);
    await send.peer.close();
    await recv.peer.close();
    expect((await call('getLoad', {})).rooms).toBe(0);
  });

  it('validates configuration with clear messages', () => {
    const base = { SFU_CONTROL_SECRET: 's'.repeat(32) };
    expect(() => loadSfuConfig({ ...base, SFU_RTC_MIN_PORT: '5000', SFU_RTC_MAX_PORT: '4000' })).toThrow(
      /must not be greater/,
    );
    expect(() => loadSfuConfig({ ...base, SFU_LISTEN_IP: '0.0.0.0' })).toThrow(/needs SFU_ANNOUNCED_IP/);
    expect(() => loadSfuConfig({})).toThrow(/SFU_CONTROL_SECRET is required/);
    expect(loadSfuConfig(base).SFU_ENGINE).toBe('auto');
  });

  it('mints coturn REST credentials', () => {
    const [server] = turnIceServers({
      urls: ['turn:t:3478'],
      secret: 'secret-secret-secret',
      label: 'room',
      nowMs: 0,
      ttlSeconds: 60,
    });
    expect(server).toEqual({
      urls: ['turn:t:3478'],
      username: '60:room',
      credential: 'wOoEnZ2rOBGEgLSaUxHDUJ2kA20=',
    });
    expect(new AppError('UNAUTHENTICATED').status).toBe(401);
  });
});
