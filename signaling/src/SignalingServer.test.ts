import { createLogger } from '@telemed/service-kit';
import {
  type AccessTokenClaims,
  AppError,
  type ClientToServerEvents,
  createSfuControlClient,
  type ServerToClientEvents,
  type SessionUser,
} from '@telemed/shared';
import { decodeJwt, generateKeyPair } from 'jose';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountWatch } from './auth/AccountWatch.js';
import { TokenVerifier } from './auth/TokenVerifier.js';
import { RecordsClinicalData } from './clinical/RecordsClinicalData.js';
import { SfuNodes } from './media/SfuNodes.js';
import { RecordsAppointments } from './records/RecordsAppointments.js';
import { SignalingServer } from './SignalingServer.js';
import { type JwksServer, type SigningKeys, signAccessToken, startJwksServer } from './testing/jwksServer.js';

const claims: AccessTokenClaims = {
  sub: '65a1b2c3d4e5f60718293a4b',
  role: 'specialist',
  org: '65a1b2c3d4e5f60718293a4c',
  name: { ar: 'د. سارة', latin: 'Dr. Sara' },
};

function mint(keys: SigningKeys, expiresIn: string | number = '5m', body: object = claims): Promise<string> {
  return signAccessToken(keys, body, expiresIn);
}

/**
 * The accounts as records would answer `/api/auth/me` for them; the real records service answers in
 * e2e/src/signaling.e2e.test.ts. Here: which users are deactivated, and whether records is reachable.
 */
class RecordsAccounts {
  readonly inactive = new Set<string>();
  reachable = true;

  async currentAccount(token: string): Promise<SessionUser> {
    if (!this.reachable) throw new AppError('SERVICE_UNAVAILABLE');
    const { sub, role, org } = decodeJwt(token) as unknown as AccessTokenClaims;
    if (this.inactive.has(sub)) throw new AppError('ACCOUNT_INACTIVE');
    return {
      id: sub,
      username: 'sara',
      role: sub === changedRoleUser ? 'clinic_doctor' : role,
      name: { ar: 'د. سارة', latin: 'Dr Sara' },
      organizationId: org,
      mustChangePassword: false,
    };
  }
}
const changedRoleUser = '65a1b2c3d4e5f60718293a99';

describe('SignalingServer', () => {
  let keys: SigningKeys;
  const records = new RecordsAccounts();
  let jwks: JwksServer;
  let signaling: SignalingServer;
  let url: string;
  const sockets: Socket[] = [];

  function connect(token?: string): Socket<ServerToClientEvents, ClientToServerEvents> {
    const socket = io(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  }

  function connectError(socket: Socket): Promise<{ message: string; data?: { code: string } }> {
    return new Promise((resolve) => socket.once('connect_error', (err) => resolve(err as never)));
  }

  beforeAll(async () => {
    jwks = await startJwksServer();
    keys = jwks.keys;
    signaling = new SignalingServer({
      verifier: new TokenVerifier(jwks.url),
      accounts: new AccountWatch({
        accounts: records,
        intervalMs: 200,
        logger: createLogger('signaling-test', 'silent'),
      }),
      // Nothing answers here: these tests stop at the socket's edge, before records is asked.
      appointments: new RecordsAppointments('http://127.0.0.1:9', { timeoutMs: 1000 }),
      clinicalRecords: new RecordsClinicalData('http://127.0.0.1:9', { timeoutMs: 1000 }),
      sfuNodes: new SfuNodes(
        [
          {
            url: 'http://127.0.0.1:9',
            call: createSfuControlClient({ url: 'http://127.0.0.1:9', secret: 'x'.repeat(32) }),
          },
        ],
        createLogger('signaling-test', 'silent'),
      ),
      logger: createLogger('signaling-test', 'silent'),
      readinessChecks: {
        records: async () => 'up',
        sfu: async () => {
          throw new Error('connection refused');
        },
      },
    });
    url = await signaling.listen(0, '127.0.0.1');
  });
  afterEach(() => {
    records.inactive.clear();
    records.reachable = true;
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await signaling.close();
    await jwks.close();
  });

  it('refuses a socket without a token', async () => {
    const err = await connectError(connect());
    expect(err.data?.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(/access token is required/);
  });

  it('refuses a token signed by another key', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const err = await connectError(connect(await mint(other)));
    expect(err.data?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const err = await connectError(connect(await mint(keys, Math.floor(Date.now() / 1000) - 10)));
    expect(err.data?.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token whose claims are malformed', async () => {
    const err = await connectError(connect(await mint(keys, '5m', { ...claims, role: 'superuser' })));
    expect(err.data?.code).toBe('UNAUTHENTICATED');
  });

  it('accepts a valid token and knows who the socket is', async () => {
    const socket = connect(await mint(keys));
    const result = await socket.timeout(5000).emitWithAck('session:whoami');
    expect(result).toEqual({
      ok: true,
      data: { id: claims.sub, role: 'specialist', organizationId: claims.org, name: claims.name },
    });
  });

  it('reads the name of a token signed before names were bilingual as that name in both scripts', async () => {
    const socket = connect(await mint(keys, '5m', { ...claims, name: 'د. سارة' }));
    const result = await socket.timeout(5000).emitWithAck('session:whoami');
    expect(result).toMatchObject({ ok: true, data: { name: { ar: 'د. سارة', latin: 'د. سارة' } } });
  });

  it('tells the client and disconnects when the token expires', async () => {
    const socket = connect(await mint(keys, Math.floor(Date.now() / 1000) + 2));
    const expired = new Promise<{ error: { code: string } }>((resolve) =>
      socket.once('session:expired', resolve),
    );
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await expired).error.code).toBe('TOKEN_EXPIRED');
    expect(await disconnected).toBe('io server disconnect');
  });

  it('refuses the handshake of a deactivated account with ACCOUNT_INACTIVE', async () => {
    records.inactive.add(claims.sub);
    const err = await connectError(connect(await mint(keys)));
    expect(err.data?.code).toBe('ACCOUNT_INACTIVE');
  });

  it('refuses a token whose role no longer matches the account', async () => {
    const err = await connectError(connect(await mint(keys, '5m', { ...claims, sub: changedRoleUser })));
    expect(err.data?.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(/role or organization/);
  });

  it('refuses with SERVICE_UNAVAILABLE while records cannot say whether the account is active', async () => {
    records.reachable = false;
    const err = await connectError(connect(await mint(keys)));
    expect(err.data?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('keeps live sockets through a records outage, and revokes them when the account is deactivated', async () => {
    const token = await mint(keys);
    const first = connect(token);
    const second = connect(token);
    for (const socket of [first, second]) {
      expect(await socket.timeout(5000).emitWithAck('session:whoami')).toMatchObject({ ok: true });
    }
    records.reachable = false;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(first.connected && second.connected).toBe(true);
    records.reachable = true;
    const revoked = [first, second].map(
      (socket) =>
        new Promise<{ error: { code: string } }>((resolve) => socket.once('session:revoked', resolve)),
    );
    const disconnected = [first, second].map(
      (socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)),
    );
    records.inactive.add(claims.sub);
    for (const info of await Promise.all(revoked)) expect(info.error.code).toBe('ACCOUNT_INACTIVE');
    expect(await Promise.all(disconnected)).toEqual(['io server disconnect', 'io server disconnect']);
  });

  it('answers a malformed room payload with VALIDATION_FAILED naming the field, before records is asked', async () => {
    const socket = connect(await mint(keys)) as unknown as Socket;
    for (const payload of [undefined, null, 'x', { appointmentId: 'nope' }, { appointmentId: 42 }]) {
      const answer = await socket.timeout(5000).emitWithAck('room:join', payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    // A rejoin that asks to resume its media names the transports as a list of ids, and `media:resume` the room.
    for (const resume of [
      'x',
      { transportIds: 'x' },
      { transportIds: [42] },
      { transportIds: ['t'], more: 1 },
    ]) {
      const answer = await socket
        .timeout(5000)
        .emitWithAck('room:join', { appointmentId: claims.sub, resume });
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(answer.error.message).toMatch(/resume/);
    }
    for (const payload of [undefined, {}, { appointmentId: 'nope' }]) {
      const answer = await socket.timeout(5000).emitWithAck('media:resume', payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    const extra = await socket
      .timeout(5000)
      .emitWithAck('room:admit', { appointmentId: claims.sub, participantId: claims.org, admin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(extra.error.message).toMatch(/admin/);
  });

  it('refuses room events from a role that takes no part in consultations, in the socket’s language', async () => {
    const token = await mint(keys, '5m', { ...claims, role: 'auditor' });
    const socket = io(url, { auth: { token, locale: 'ar' }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const join = await socket.timeout(5000).emitWithAck('room:join', { appointmentId: claims.org });
    expect(join).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const waiting = await socket.timeout(5000).emitWithAck('waiting:list');
    expect(waiting).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('says why it refused in the socket’s language: Arabic for auth.locale ar, English otherwise', async () => {
    const clinicToken = await mint(keys, '5m', { ...claims, sub: claims.org, role: 'clinic_doctor' });
    const arabic = io(url, {
      auth: { token: clinicToken, locale: 'ar' },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(arabic);
    expect(await arabic.timeout(5000).emitWithAck('waiting:list')).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'قائمة الانتظار للطبيب الاستشاري فقط.' },
    });
    const invalid = await arabic.timeout(5000).emitWithAck('room:join', { appointmentId: 'nope' });
    expect(invalid.error.message).toMatch(/^البيانات المرسلة غير صحيحة.*appointmentId/);
    const english = connect(clinicToken);
    const refused = await english.timeout(5000).emitWithAck('waiting:list');
    expect(refused.error.message).toBe('Only a specialist has a waiting list.');
  });

  it('refuses a handshake without a token in the socket’s language', async () => {
    const socket = io(url, { auth: { locale: 'ar' }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const error = await connectError(socket);
    expect(error.data).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^يلزم رمز الدخول/),
    });
  });

  it('answers admit, leave and end outside a room with ROOM_NOT_JOINED, and a clinic doctor’s waiting list with FORBIDDEN', async () => {
    const specialist = connect(await mint(keys));
    const appointmentId = '65a1b2c3d4e5f60718293a00';
    const admit = await specialist
      .timeout(5000)
      .emitWithAck('room:admit', { appointmentId, participantId: claims.org });
    expect(admit).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_JOINED' } });
    expect(await specialist.timeout(5000).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    expect(await specialist.timeout(5000).emitWithAck('room:end', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    expect(await specialist.timeout(5000).emitWithAck('waiting:list')).toEqual({
      ok: true,
      data: { waiting: [] },
    });
    const clinic = connect(await mint(keys, '5m', { ...claims, sub: claims.org, role: 'clinic_doctor' }));
    expect(await clinic.timeout(5000).emitWithAck('waiting:list')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses an unknown event with NOT_FOUND, and survives events without an ack', async () => {
    const socket = connect(await mint(keys)) as unknown as Socket;
    const unknown = await socket.timeout(5000).emitWithAck('room:take-over', { appointmentId: claims.sub });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(unknown.error.message).toMatch(/room:take-over/);
    socket.emit('room:join', { appointmentId: 'bad' });
    socket.emit('room:admit');
    socket.emit('waiting:list');
    socket.emit('session:whoami', 'not an ack');
    socket.emit('no-such-event');
    expect(await socket.timeout(5000).emitWithAck('session:whoami')).toMatchObject({ ok: true });
  });

  it('answers SERVICE_UNAVAILABLE when records cannot be asked who may join', async () => {
    const socket = connect(await mint(keys));
    const answer = await socket.timeout(10_000).emitWithAck('room:join', { appointmentId: claims.org });
    expect(answer).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('is alive, and not ready while a dependency is down', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      checks: { records: { ok: true }, sfu: { ok: false, detail: 'connection refused' } },
    });
  });
});
