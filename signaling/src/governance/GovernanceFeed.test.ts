import { createLogger } from '@telemed/service-kit';
import {
  type AccessTokenClaims,
  type ClientToServerEvents,
  createSfuControlClient,
  type GovernanceSnapshot,
  type Role,
  type ServerToClientEvents,
  type SessionUser,
} from '@telemed/shared';
import { decodeJwt } from 'jose';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountWatch } from '../auth/AccountWatch.js';
import { TokenVerifier } from '../auth/TokenVerifier.js';
import { RecordsClinicalData } from '../clinical/RecordsClinicalData.js';
import { SfuNodes } from '../media/SfuNodes.js';
import { RecordsAppointments } from '../records/RecordsAppointments.js';
import { InMemoryRoomStateStore } from '../rooms/InMemoryRoomStateStore.js';
import { SignalingServer } from '../SignalingServer.js';
import { type JwksServer, signAccessToken, startJwksServer } from '../testing/jwksServer.js';

const ids = {
  admin: '65a1b2c3d4e5f60718293a01',
  specialist: '65a1b2c3d4e5f60718293a02',
  clinic: '65a1b2c3d4e5f60718293a03',
  org: '65a1b2c3d4e5f60718293a04',
  running: '65a1b2c3d4e5f60718293b01',
  waiting: '65a1b2c3d4e5f60718293b02',
};

/** Records' answer to `/api/auth/me`: every account active, with the role its token says. */
const accounts = {
  async currentAccount(token: string): Promise<SessionUser> {
    const { sub, role, org } = decodeJwt(token) as unknown as AccessTokenClaims;
    return {
      id: sub,
      username: sub,
      role,
      name: { ar: 'د. مستخدم', latin: 'Dr User' },
      organizationId: org,
      mustChangePassword: false,
    };
  },
};

/**
 * The governance subscription against a real signaling server and its real room state store (filled as rooms
 * leave it after joins and admits): administrators only, a snapshot at once and then pushed by itself.
 */
describe('governance:subscribe', () => {
  let jwks: JwksServer;
  let signaling: SignalingServer;
  let url: string;
  const sockets: Socket[] = [];
  const store = new InMemoryRoomStateStore();
  const logger = createLogger('signaling-test', 'silent');

  async function connect(
    role: Role,
    sub: string,
  ): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
    const token = await signAccessToken(jwks.keys, {
      sub,
      role,
      org: ids.org,
      name: { ar: 'د. مستخدم', latin: 'Dr User' },
    });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      auth: { token, locale: 'ar' },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  beforeAll(async () => {
    jwks = await startJwksServer();
    signaling = new SignalingServer({
      verifier: new TokenVerifier(jwks.url),
      accounts: new AccountWatch({ accounts, intervalMs: 60_000, logger }),
      appointments: new RecordsAppointments('http://127.0.0.1:9', { timeoutMs: 1000 }),
      clinicalRecords: new RecordsClinicalData('http://127.0.0.1:9', { timeoutMs: 1000 }),
      sfuNodes: new SfuNodes(
        [
          {
            url: 'http://127.0.0.1:9',
            call: createSfuControlClient({ url: 'http://127.0.0.1:9', secret: 'x'.repeat(32) }),
          },
        ],
        logger,
      ),
      roomStore: store,
      governanceIntervalMs: 200,
      logger,
    });
    url = await signaling.listen(0, '127.0.0.1');
    await store.put({
      appointmentId: ids.running,
      specialistId: ids.specialist,
      appointmentStatus: 'in-progress',
      participants: [
        participant(ids.specialist, 'specialist', 'joined', '2026-05-01T08:00:00.000Z'),
        participant(ids.clinic, 'clinic_doctor', 'joined', '2026-05-01T08:02:00.000Z'),
      ],
    });
    await store.put({
      appointmentId: ids.waiting,
      specialistId: ids.specialist,
      appointmentStatus: 'waiting',
      participants: [participant(ids.clinic, 'clinic_doctor', 'waiting', '2026-05-01T08:10:00.000Z')],
    });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await signaling.close();
    await jwks.close();
  });

  it('answers an administrator with rooms in progress, who waits since when, and specialists online', async () => {
    await connect('specialist', ids.specialist);
    const admin = await connect('administrator', ids.admin);
    const answer = await admin.timeout(10_000).emitWithAck('governance:subscribe');
    expect(answer).toEqual({
      ok: true,
      data: {
        at: expect.any(String),
        inProgress: [
          {
            appointmentId: ids.running,
            specialistId: ids.specialist,
            joined: 2,
            since: '2026-05-01T08:00:00.000Z',
          },
        ],
        waiting: [
          {
            appointmentId: ids.waiting,
            participantId: ids.clinic,
            name: { ar: 'د. clinic_doctor', latin: 'Dr. clinic_doctor' },
            since: '2026-05-01T08:10:00.000Z',
          },
        ],
        specialistsOnline: { count: 1, ids: [ids.specialist] },
      },
    });
  });

  it('pushes fresh snapshots by itself: a specialist who goes offline drops out', async () => {
    const specialist = await connect('specialist', ids.specialist);
    const admin = await connect('administrator', ids.admin);
    await admin.timeout(10_000).emitWithAck('governance:subscribe');
    const snapshots: GovernanceSnapshot[] = [];
    admin.on('governance:snapshot', (snapshot) => snapshots.push(snapshot));
    await expect.poll(() => snapshots.at(-1)?.specialistsOnline.count, { timeout: 10_000 }).toBe(1);
    specialist.close();
    await expect.poll(() => snapshots.at(-1)?.specialistsOnline.count, { timeout: 10_000 }).toBe(0);
  });

  it('refuses every other role, in the socket’s language, and sends them nothing', async () => {
    for (const [role, sub] of [
      ['specialist', ids.specialist],
      ['clinic_doctor', ids.clinic],
      ['auditor', '65a1b2c3d4e5f60718293a05'],
    ] as const) {
      const socket = await connect(role, sub);
      let pushed = 0;
      socket.on('governance:snapshot', () => pushed++);
      expect(await socket.timeout(10_000).emitWithAck('governance:subscribe')).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'لوحة متابعة الخدمة للمسؤولين فقط.' },
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(pushed).toBe(0);
    }
  });
});

function participant(
  participantId: string,
  role: 'specialist' | 'clinic_doctor',
  status: 'joined' | 'waiting',
  since: string,
) {
  return {
    participantId,
    role,
    name: { ar: `د. ${role}`, latin: `Dr. ${role}` },
    status,
    callRole: role === 'specialist' ? ('booked-specialist' as const) : ('clinic' as const),
    since,
    socketId: 'gone',
  };
}
