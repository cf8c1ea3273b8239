import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@telemed/service-kit';
import {
  type AccessTokenClaims,
  type ClientToServerEvents,
  createSfuControlClient,
  type ServerToClientEvents,
  type SessionUser,
  type SfuControlClient,
} from '@telemed/shared';
import { decodeJwt } from 'jose';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountWatch } from '../auth/AccountWatch.js';
import { TokenVerifier } from '../auth/TokenVerifier.js';
import { RecordsClinicalData } from '../clinical/RecordsClinicalData.js';
import { RecordsAppointments } from '../records/RecordsAppointments.js';
import { SignalingServer } from '../SignalingServer.js';
import { type JwksServer, signAccessToken, startJwksServer } from '../testing/jwksServer.js';
import { SfuNodes } from './SfuNodes.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const secret = randomBytes(24).toString('hex');
/** Long enough that closing on stop or disconnect is seen well before the time limit would close it anyway. */
const maxDurationMs = 8_000;
const startsPerWindow = 3;

type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Records' answer to `/api/auth/me`: the token's own claims (records itself is not what these tests are about). */
const accounts = {
  async currentAccount(token: string): Promise<SessionUser> {
    const { sub, role, org } = decodeJwt(token) as unknown as AccessTokenClaims;
    return {
      id: sub,
      username: sub,
      role,
      name: { ar: 'د. سارة', latin: 'Dr Sara' },
      organizationId: org,
      mustChangePassword: false,
    };
  },
};

let userCount = 0;
/** A fresh user for each test, so one test's starts do not count against another's rate limit. */
function nextUser(): string {
  userCount += 1;
  return `65a1b2c3d4e5f607182${String(userCount).padStart(5, '0')}`;
}

describe('network test over signaling (a real SFU process)', () => {
  let sfuProcess: ChildProcess;
  let sfu: SfuControlClient;
  let jwks: JwksServer;
  let signaling: SignalingServer;
  let url: string;
  const sockets: TestSocket[] = [];

  async function connect(role: AccessTokenClaims['role'] = 'clinic_doctor', sub = nextUser(), locale = 'en') {
    const token = await signAccessToken(
      jwks.keys,
      { sub, role, org: '65a1b2c3d4e5f60718293a4c', name: { ar: 'د. سارة', latin: 'Dr. Sara' } },
      '5m',
    );
    const socket: TestSocket = io(url, {
      auth: { token, locale },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((done, fail) => {
      socket.once('connect', done);
      socket.once('connect_error', fail);
    });
    return socket;
  }

  async function load() {
    return sfu('getLoad', {});
  }

  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    const [sfuPort, rtcMin] = await freePorts(2);
    const sfuUrl = `http://127.0.0.1:${sfuPort}`;
    sfuProcess = await startSfu(sfuUrl, {
      SFU_PORT: String(sfuPort),
      SFU_CONTROL_SECRET: secret,
      SFU_RTC_MIN_PORT: String(rtcMin),
      SFU_RTC_MAX_PORT: String(Math.min(65_535, (rtcMin ?? 40_000) + 50)),
    });
    sfu = createSfuControlClient({ url: sfuUrl, secret });
    jwks = await startJwksServer();
    const logger = createLogger('signaling-test', 'silent');
    signaling = new SignalingServer({
      verifier: new TokenVerifier(jwks.url),
      accounts: new AccountWatch({ accounts, intervalMs: 60_000, logger }),
      // Nothing answers here: a network test never asks records anything.
      appointments: new RecordsAppointments('http://127.0.0.1:9', { timeoutMs: 1000 }),
      clinicalRecords: new RecordsClinicalData('http://127.0.0.1:9', { timeoutMs: 1000 }),
      sfuNodes: new SfuNodes([{ url: sfuUrl, call: sfu }], logger),
      networkTests: { maxDurationMs, startsPerWindow, rateWindowMs: 60_000 },
      logger,
    });
    url = await signaling.listen(0, '127.0.0.1');
  }, 60_000);
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    // Every test leaves the SFU as it found it: nothing of a network test outlives its socket.
    await until(async () => (await load()).rooms === 0, 'the SFU to hold no router');
  });
  afterAll(async () => {
    await signaling?.close();
    await jwks?.close();
    sfuProcess?.kill('SIGTERM');
  });

  it('gives a clinic doctor a loopback router with a send and a receive transport, closed on stop', async () => {
    const socket = await connect('clinic_doctor');
    const started = await socket.timeout(10_000).emitWithAck('network-test:start');
    expect(started).toMatchObject({ ok: true, data: { expiresInMs: maxDurationMs } });
    if (!started.ok) return;
    expect(started.data.send.transportId).not.toBe(started.data.recv.transportId);
    expect(started.data.rtpCapabilities.codecs?.length).toBeGreaterThan(0);
    expect(await load()).toMatchObject({ rooms: 1, transports: 2 });

    expect(await socket.timeout(10_000).emitWithAck('network-test:stop')).toEqual({
      ok: true,
      data: { stopped: true },
    });
    expect(await load()).toMatchObject({ rooms: 0, transports: 0 });
    expect(await socket.timeout(10_000).emitWithAck('network-test:stop')).toEqual({
      ok: true,
      data: { stopped: false },
    });
  });

  it('replaces a socket’s previous test when it starts again, so one socket holds one router', async () => {
    const socket = await connect('specialist');
    await socket.timeout(10_000).emitWithAck('network-test:start');
    await socket.timeout(10_000).emitWithAck('network-test:start');
    expect(await load()).toMatchObject({ rooms: 1, transports: 2 });
  });

  it('closes the test’s router when its socket goes', async () => {
    const socket = await connect();
    await socket.timeout(10_000).emitWithAck('network-test:start');
    expect((await load()).rooms).toBe(1);
    socket.close();
    await until(
      async () => (await load()).rooms === 0,
      'the router to close after the disconnect',
      maxDurationMs / 2,
    );
  });

  it('closes a test by itself after the hard time limit; then its steps ask to start again', {
    timeout: 60_000,
  }, async () => {
    const socket = await connect();
    const started = await socket.timeout(10_000).emitWithAck('network-test:start');
    if (!started.ok) throw new Error('start failed');
    await until(
      async () => (await load()).rooms === 0,
      'the time limit to close the router',
      maxDurationMs * 4,
    );
    const late = await socket.timeout(10_000).emitWithAck('network-test:connect-transport', {
      transportId: started.data.send.transportId,
      dtlsParameters: started.data.send.dtlsParameters,
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'MEDIA_OUT_OF_ORDER' } });
    expect(late.ok || late.error.message).toMatch(/start the test again/);
  });

  it('refuses ids that are not the test’s own with MEDIA_NOT_FOUND, without asking the SFU', async () => {
    const other = await connect();
    const otherStart = await other.timeout(10_000).emitWithAck('network-test:start');
    const socket = await connect();
    const started = await socket.timeout(10_000).emitWithAck('network-test:start');
    if (!otherStart.ok || !started.ok) throw new Error('start failed');

    const foreign = await socket.timeout(10_000).emitWithAck('network-test:connect-transport', {
      transportId: otherStart.data.send.transportId,
      dtlsParameters: started.data.send.dtlsParameters,
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });
    const notOwnProducer = await socket.timeout(10_000).emitWithAck('network-test:consume', {
      producerId: 'not-a-producer-of-mine',
      rtpCapabilities: started.data.rtpCapabilities,
    });
    expect(notOwnProducer).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });
    const resumeForeign = await socket
      .timeout(10_000)
      .emitWithAck('network-test:resume-consumer', { consumerId: 'someone-elses' });
    expect(resumeForeign).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });
  });

  it('limits how often one user starts a test, across their sockets, in the socket’s language', async () => {
    const user = nextUser();
    const first = await connect('clinic_doctor', user);
    for (let i = 0; i < startsPerWindow; i++) {
      expect(await first.timeout(10_000).emitWithAck('network-test:start')).toMatchObject({ ok: true });
    }
    const second = await connect('clinic_doctor', user, 'ar');
    const refused = await second.timeout(10_000).emitWithAck('network-test:start');
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(refused.ok || refused.error.message).toMatch(/حاول مرة أخرى بعد \d+ ثانية/);
    // Another user is not held back by this one.
    const someoneElse = await connect('clinic_doctor');
    expect(await someoneElse.timeout(10_000).emitWithAck('network-test:start')).toMatchObject({ ok: true });
  });

  it('refuses roles that take no part in consultations, and steps before a start', async () => {
    const admin = await connect('administrator');
    expect(await admin.timeout(10_000).emitWithAck('network-test:start')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const doctor = await connect();
    expect(
      await doctor.timeout(10_000).emitWithAck('network-test:resume-consumer', { consumerId: 'c1' }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_OUT_OF_ORDER' } });
    expect(
      await doctor
        .timeout(10_000)
        .emitWithAck('network-test:produce', { transportId: 't', kind: 'video' } as never),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await load()).rooms).toBe(0);
  });
});

/** The SFU from its sources, as its own process (a service never imports another, not even in tests). */
async function startSfu(url: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@telemed/source', '--import', 'tsx', 'sfu/src/main.ts'],
    {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 45_000;
  for (;;) {
    const healthy = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return child;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the SFU did not start (exit code ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    ports.push(
      await new Promise<number>((done, fail) => {
        const server = createServer();
        server.once('error', fail);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          server.close(() => done(typeof address === 'object' && address ? address.port : 0));
        });
      }),
    );
  }
  return ports;
}
