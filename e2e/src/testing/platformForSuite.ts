import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningPlatform } from '@telemed/launcher';
import { type RunningRedisServer, startRedisServer } from '@telemed/service-kit';
import type { Appointment, AppointmentStatus, RecordsClient, Role, SessionResponse } from '@telemed/shared';
import { afterAll, beforeAll, expect } from 'vitest';
import { recordsClientAs, scheduledAppointments, signInDemoRole } from './demoSessions.js';
import { startPlatformOnFreePorts } from './platformOnFreePorts.js';
import { type ClientSocket, type ConnectOptions, connectSignaling } from './signalingClient.js';

type Env = Record<string, string>;

export interface PlatformForSuiteOptions {
  /**
   * The services' environment besides LOG_LEVEL=warn and the free ports, or a function that works it out just
   * before the platform starts (after the suite's own earlier `beforeAll`s have run).
   */
  env?: Env | (() => Env | Promise<Env>);
  /** A real redis-server, started first and stopped last, its URL given to the services as REDIS_URL. */
  redis?: boolean;
}

/** The platform a suite runs against, and what its tests do with it. Read only inside hooks and tests. */
export interface SuitePlatform {
  readonly platform: RunningPlatform;
  /** The platform's DATA_DIR, a temporary directory of the suite's own. */
  readonly dataDir: string;
  /** The suite's redis-server's URL, when it asked for one. */
  readonly redisUrl: string;
  /** Each service that exited while the suite ran: a test ends by expecting none. */
  readonly died: readonly string[];
  /** The demo account of `role` at `index` among that role's, signed in. */
  signIn(role: Role, index?: number): Promise<SessionResponse>;
  recordsAs(session: SessionResponse): RecordsClient;
  /** The seeded appointments still scheduled between the two, at least `atLeast` of them. */
  scheduledAppointments(
    clinic: SessionResponse,
    specialist: SessionResponse,
    atLeast: number,
  ): Promise<Appointment[]>;
  /** The appointment's status, as `as` reads it from records. */
  statusOf(appointmentId: string, as: SessionResponse): Promise<AppointmentStatus>;
  /** A signaling socket as `session`'s user, to the platform's node or the one at `url`; closed after the suite. */
  connect(session: SessionResponse, options?: ConnectOptions & { url?: string }): Promise<ClientSocket>;
}

/**
 * The whole platform as `npm start` runs it, for the suite this is called in: started on free ports in a fresh
 * data directory before its tests, its output echoed and its services' deaths noted, and after them its sockets
 * closed, the platform stopped and the directory removed.
 */
export function platformForSuite(name: string, options: PlatformForSuiteOptions = {}): SuitePlatform {
  let platform: RunningPlatform | undefined;
  let dataDir: string | undefined;
  let redis: RunningRedisServer | undefined;
  const died: string[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    if (options.redis) redis = await startRedisServer();
    dataDir = mkdtempSync(join(tmpdir(), `telemed-e2e-${name}-`));
    const env = typeof options.env === 'function' ? await options.env() : (options.env ?? {});
    platform = await startPlatformOnFreePorts(
      dataDir,
      { LOG_LEVEL: 'warn', ...(redis ? { REDIS_URL: redis.url } : {}), ...env },
      {
        echo: (line) => process.stderr.write(`${line}\n`),
        onServiceDied: (service, code) => died.push(`${service} exited with ${code}`),
      },
    );
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await platform?.stop();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what}: the suite's platform has not started`);
    return value;
  };

  const suite: SuitePlatform = {
    get platform() {
      return started(platform, 'platform');
    },
    get dataDir() {
      return started(dataDir, 'dataDir');
    },
    get redisUrl() {
      return started(redis, 'redisUrl (asked for with { redis: true })').url;
    },
    died,
    signIn: (role, index = 0) => signInDemoRole(suite.platform, role, index),
    recordsAs: (session) => recordsClientAs(suite.platform, session),
    async scheduledAppointments(clinic, specialist, atLeast) {
      const appointments = await scheduledAppointments(suite.platform, clinic, specialist);
      expect(appointments.length).toBeGreaterThanOrEqual(atLeast);
      return appointments;
    },
    async statusOf(appointmentId, as) {
      return (await suite.recordsAs(as).call('getAppointment', { params: { id: appointmentId } })).status;
    },
    async connect(session, { url = suite.platform.urls.signaling, ...connectOptions } = {}) {
      const socket = await connectSignaling(url, session.accessToken, connectOptions);
      sockets.push(socket);
      return socket;
    },
  };
  return suite;
}
