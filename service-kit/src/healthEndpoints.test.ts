import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthEndpoints, type HealthEndpointsOptions } from './healthEndpoints.js';

describe('createHealthEndpoints', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function serve(options: HealthEndpointsOptions): Promise<string> {
    const health = createHealthEndpoints(options);
    server = createServer(async (req, res) => {
      if (!(await health(req, res))) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it('answers liveness without running checks, and readiness with each check', async () => {
    let checked = 0;
    const base = await serve({
      service: 'records',
      checks: {
        database: async () => {
          checked++;
          return 'db:27017';
        },
      },
    });
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    expect(checked).toBe(0);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true, detail: 'db:27017' } },
    });
    expect((await fetch(`${base}/other`)).status).toBe(418);
  });

  it('is not ready when a check fails or does not answer in time', async () => {
    const base = await serve({
      service: 'sfu',
      checkTimeoutMs: 100,
      checks: {
        broken: async () => {
          throw new Error('worker died');
        },
        slow: () => new Promise(() => {}),
      },
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'unavailable',
      checks: {
        broken: { ok: false, detail: 'worker died' },
        slow: { ok: false, detail: 'no answer within 100 ms' },
      },
    });
  });
});
