import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningPlatform } from '@telemed/launcher';
import {
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionResponse,
  sessionResponseSchema,
  signalingRequests,
} from '@telemed/shared';
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Fixed so a failure replays; FUZZ_SEED overrides, and fast-check prints the seed of a failing run. */
const seed = Number(process.env.FUZZ_SEED ?? 2024);
const fuzzTimeMs = 20_000;
const authCodes = ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'ACCOUNT_INACTIVE'];

/**
 * Signaling against the real records service, both started by the launcher: a deactivated user loses their
 * sockets and cannot open new ones (issue 24, fault 2), and random events and handshakes never break it.
 */
describe('signaling with the real records service', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  const died: string[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-signaling-'));
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn', SIGNALING_ACCOUNT_CHECK_SECONDS: '1' },
      {
        echo: (line) => process.stderr.write(`${line}\n`),
        onServiceDied: (service, code) => died.push(`${service} exited with ${code}`),
      },
    );
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(role: string): Promise<SessionResponse> {
    const account = platform.demoAccounts.find((a) => a.role === role);
    if (!account) throw new Error(`no demo ${role}`);
    const res = await fetch(`${platform.urls.records}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.username, password: account.password }),
    });
    expect(res.status).toBe(200);
    return sessionResponseSchema.parse(await res.json());
  }

  function connect(auth: unknown): ClientSocket {
    const socket: ClientSocket = io(platform.urls.signaling, {
      auth: auth as Record<string, unknown>,
      transports: ['websocket'],
      reconnection: false,
      timeout: 10_000,
    });
    sockets.push(socket);
    return socket;
  }

  /** How a handshake ends: connected, refused (with the error's code, if any), or dropped by the transport. */
  function outcome(socket: ClientSocket): Promise<{ kind: string; code?: string; message?: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'no answer within 15 s' }), 15_000);
      const done = (result: { kind: string; code?: string; message?: string }) => {
        clearTimeout(timer);
        socket.close();
        resolve(result);
      };
      socket.once('connect', () => done({ kind: 'connected' }));
      socket.once('connect_error', (err) =>
        done({
          kind: 'refused',
          code: (err as Error & { data?: { code?: string } }).data?.code,
          message: err.message,
        }),
      );
      socket.once('disconnect', (reason) => done({ kind: 'dropped', message: reason }));
    });
  }

  async function whoami(token: string) {
    const socket = connect({ token });
    try {
      return await socket.timeout(10_000).emitWithAck('session:whoami');
    } finally {
      socket.close();
    }
  }

  async function expectHealthy(): Promise<void> {
    expect(died).toEqual([]);
    expect((await fetch(`${platform.urls.signaling}/healthz`)).status).toBe(200);
  }

  it('survives random events, payloads and acks on an authenticated socket', async () => {
    const { accessToken, user } = await signIn('clinic_doctor');
    expect(await whoami(accessToken)).toMatchObject({ ok: true, data: { id: user.id } });
    let socket = connect({ token: accessToken });
    const knownEvents = [...Object.keys(signalingRequests), 'session:expired', 'session:revoked'];
    // The client itself refuses to send Socket.IO's reserved names.
    const reserved = [
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
      'newListener',
      'removeListener',
    ];
    const eventName = fc.oneof(
      fc.constantFrom(...knownEvents),
      fc.string({ maxLength: 40 }).filter((name) => !reserved.includes(name)),
    );
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
      fc.constantFrom({ $gt: '' }, { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"x":1}}')),
      fc.nat({ max: 80_000 }).map((n) => 'x'.repeat(n)),
      // At least one pair: JSON.parse('') would throw in the generator itself.
      fc.integer({ min: 1, max: 2_000 }).map((n) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`)),
    );
    const internalAnswers: unknown[] = [];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        eventName,
        fc.array(payload, { maxLength: 3 }),
        fc.boolean(),
        async (event, args, withAck) => {
          runs++;
          if (!socket.connected) {
            // The server drops a socket that sends an oversized or malformed packet: start a new one.
            socket.close();
            socket = connect({ token: accessToken });
            const fresh = socket;
            await new Promise<void>((resolve, reject) => {
              fresh.once('connect', resolve);
              fresh.once('connect_error', reject);
            });
          }
          const emitter = socket as unknown as Socket;
          if (!withAck) {
            emitter.emit(event, ...args);
            return;
          }
          const answer = await emitter
            .timeout(event === 'session:whoami' && args.length === 0 ? 5000 : 150)
            .emitWithAck(event, ...args)
            .catch(() => undefined);
          if (JSON.stringify(answer ?? null).includes('INTERNAL')) internalAnswers.push({ event, answer });
        },
      ),
      { seed, numRuns: 100_000, interruptAfterTimeLimit: fuzzTimeMs, markInterruptAsFailure: false },
    );
    socket.close();
    expect(internalAnswers).toEqual([]);
    expect(runs).toBeGreaterThan(50);
    await expectHealthy();
    expect(await whoami(accessToken)).toMatchObject({ ok: true, data: { id: user.id } });
  });

  it('refuses random, forged, alg:none and expired handshakes with an auth error, never an internal one', async () => {
    const { accessToken, user } = await signIn('specialist');
    const [header, claims] = accessToken.split('.') as [string, string, string];
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const key = createPrivateKey(readFileSync(join(dataDir, 'auth-signing-key.pem')));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const realClaims = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>;
    /** Signed with records' own key, so only the claims can make it wrong. */
    const signed = (body: Record<string, unknown>) => {
      const input = `${encode({ alg: 'EdDSA', kid, typ: 'JWT' })}.${encode(body)}`;
      return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const tokens = fc.oneof(
      fc.constant(signed({ ...realClaims, exp: now - 3600, iat: now - 7200 })),
      fc.constant(`${encode({ alg: 'none', typ: 'JWT' })}.${claims}.`),
      fc.constant(`${encode({ alg: 'none' })}.${encode({ ...realClaims, role: 'administrator' })}.`),
      fc.constant(
        `${header}.${encode({ ...realClaims, role: 'administrator' })}.${accessToken.split('.')[2]}`,
      ),
      fc.constant(signed({ ...realClaims, sub: '65a1b2c3d4e5f60718293a4b' })),
      fc.constant(signed({ ...realClaims, aud: 'someone-else' })),
      fc.string({ maxLength: 200 }),
      fc.nat({ max: 100_000 }).map((n) => 'a.'.repeat(n)),
      fc.anything({ maxDepth: 2 }),
    );
    const auth = fc.oneof(
      tokens.map((token) => ({ token })),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
      fc.anything({ maxDepth: 2 }),
    );
    const wrong: unknown[] = [];
    let handshakes = 0;
    await fc.assert(
      fc.asyncProperty(auth, async (value) => {
        handshakes++;
        const result = await outcome(connect(value));
        const acceptable =
          (result.kind === 'refused' && (result.code === undefined || authCodes.includes(result.code))) ||
          result.kind === 'dropped';
        if (!acceptable) wrong.push({ auth: JSON.stringify(value)?.slice(0, 200), result });
        expect(acceptable).toBe(true);
      }),
      { seed, numRuns: 100_000, interruptAfterTimeLimit: fuzzTimeMs, markInterruptAsFailure: false },
    );
    expect(wrong).toEqual([]);
    expect(handshakes).toBeGreaterThan(50);
    await expectHealthy();
    expect(await whoami(accessToken)).toMatchObject({ ok: true, data: { id: user.id } });
  });

  it('disconnects the sockets of a user the administrator deactivates, and refuses their token after', async () => {
    const { accessToken, user } = await signIn('specialist');
    const admin = await signIn('administrator');
    const held = [connect({ token: accessToken }), connect({ token: accessToken })];
    for (const socket of held) {
      expect(await socket.timeout(10_000).emitWithAck('session:whoami')).toMatchObject({
        ok: true,
        data: { id: user.id, role: 'specialist' },
      });
    }
    const revoked = held.map(
      (socket) =>
        new Promise<{ error: { code: string } }>((resolve) => socket.once('session:revoked', resolve)),
    );
    const disconnected = held.map(
      (socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)),
    );

    const deactivated = await fetch(`${platform.urls.records}/api/users/${user.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    expect(deactivated.status).toBe(200);

    // Re-checked every second: well within this bound even on a busy machine.
    const within = <T>(promise: Promise<T>) =>
      Promise.race([
        promise,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('still connected after 15 s')), 15_000),
        ),
      ]);
    for (const info of await within(Promise.all(revoked))) expect(info.error.code).toBe('ACCOUNT_INACTIVE');
    expect(await within(Promise.all(disconnected))).toEqual(['io server disconnect', 'io server disconnect']);

    for (let attempt = 0; attempt < 12; attempt++) {
      expect(await outcome(connect({ token: accessToken }))).toMatchObject({
        kind: 'refused',
        code: 'ACCOUNT_INACTIVE',
      });
    }
    await expectHealthy();
  });
});
