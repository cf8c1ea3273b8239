import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, start as startEmbeddedMongo } from '@telemed/embedded-mongo';
import { freePorts } from '@telemed/service-kit';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../db/connectDatabase.js';
import { registerModels } from '../models/registerModels.js';
import {
  cardiologyBooking,
  createFixtures,
  type Fixtures,
  fixturePassword,
  tomorrowAt,
} from '../testing/fixtures.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: each assertion checks what it needs.
  body: any;
}

/**
 * The records service started as an operator would, with RECORDS_WORKERS=2: a node cluster whose two
 * workers share the port. Every request below opens its own connection, so the cluster spreads them over
 * both workers (round robin), and what one worker did must hold in the other.
 */
describe('records cluster (RECORDS_WORKERS=2)', () => {
  let store: RunningServer;
  let connection: Connection;
  let f: Fixtures;
  let proc: ChildProcess;
  let port: number;
  let output = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'records-cluster-'));

  const call = (method: string, path: string, token?: string, body?: unknown): Promise<Answer> =>
    new Promise((resolveAnswer, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent: false,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () =>
            resolveAnswer({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const signIn = async (username: string) => {
    const res = await call('POST', '/api/auth/login', undefined, { username, password: fixturePassword });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.accessToken as string;
  };

  let uri: string;
  const startCluster = (onPort: number) =>
    spawn(process.execPath, ['--conditions=@telemed/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: {
        ...process.env,
        MONGODB_URI: uri,
        RECORDS_PORT: String(onPort),
        RECORDS_WORKERS: '2',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const listeningWorkers = () =>
    output.split('\n').filter((line) => line.includes('records service listening'));

  beforeAll(async () => {
    store = await startEmbeddedMongo({ port: 0 });
    uri = `${store.uri.replace(/\/$/, '')}/telemed_cluster_test`;
    connection = await connectDatabase(uri);
    f = await createFixtures(registerModels(connection));
    [port = 0] = await freePorts(1);
    proc = startCluster(port);
    proc.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    proc.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 60_000;
    while (listeningWorkers().length < 2) {
      if (Date.now() > deadline || proc.exitCode !== null)
        throw new Error(`cluster did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 70_000);

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    }
    await connection?.close();
    await store?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs two workers with distinct process ids', () => {
    const pids = new Set(listeningWorkers().map((line) => (JSON.parse(line) as { pid: number }).pid));
    expect(pids.size).toBe(2);
  });

  it('shuts a deactivated account out at once on every worker', async () => {
    const doctor = await signIn('doctor.b');
    const admin = await signIn('admin');
    // Both workers now remember the account as active.
    for (let i = 0; i < 8; i++) expect((await call('GET', '/api/auth/me', doctor)).status).toBe(200);
    expect((await call('PATCH', `/api/users/${f.doctorB.id}`, admin, { active: false })).status).toBe(200);
    const after = await Promise.all(Array.from({ length: 8 }, () => call('GET', '/api/auth/me', doctor)));
    expect(after.map((res) => res.body.error?.code)).toEqual(Array(8).fill('ACCOUNT_INACTIVE'));
  });

  it('lets only one of many simultaneous bookings of a slot through, whichever worker takes each', async () => {
    const admin = await signIn('admin');
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(
          'POST',
          '/api/appointments',
          admin,
          cardiologyBooking(f, { start: tomorrowAt(15), end: tomorrowAt(15, 30), reason: 'chest pain' }),
        ),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('replaces a worker that crashes, and stops cleanly on SIGTERM', async () => {
    const [first] = listeningWorkers().map((line) => (JSON.parse(line) as { pid: number }).pid);
    process.kill(first!, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (listeningWorkers().length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(listeningWorkers()).toHaveLength(3);
    expect((await call('GET', '/readyz')).status).toBe(200);
    proc.kill('SIGTERM');
    const [code] = (await once(proc, 'exit')) as [number];
    expect(code).toBe(0);
  }, 40_000);

  // The cluster's processes start and connect to the database before they fail: seconds on a loaded machine.
  it('stops with an error, not a restart loop, when its workers cannot start', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const busyPort = (taken.address() as { port: number }).port;
    const failing = startCluster(busyPort);
    let log = '';
    failing.stdout!.on('data', (chunk) => {
      log += chunk;
    });
    const [code] = (await once(failing, 'exit')) as [number];
    taken.close();
    expect(code).not.toBe(0);
    expect(log).toContain('a records worker failed to start');
  }, 30_000);
});
