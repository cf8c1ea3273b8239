import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, signIn } from '../../testing/fixtures.js';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';
import { startBulkTestServer } from '../testing/startBulkTestServer.js';
import { registerSystemClient, systemToken } from '../testing/systemClientTesting.js';

const prefer = { accept: 'application/fhir+json', prefer: 'respond-async' };

describe('GET /api/bulk-exports: administrators watch the Bulk Data exports, over real HTTP', () => {
  let server: RecordsTestServer;
  let admin: string;
  let doctor: string;
  let token: string;
  let clientId: string;
  let clientName: string;

  beforeAll(async () => {
    // A slow source: the export is still running when the first list is read.
    server = await startBulkTestServer({ slow: { count: 300, delayMs: 20 } });
    await createFixtures(server.models);
    admin = await signIn(server, 'admin');
    doctor = await signIn(server, 'cardio');
    const client = await registerSystemClient(server, admin, ['system/*.read']);
    clientId = client.id;
    const listed = await server.call('GET', '/api/system-clients', { token: admin });
    clientName = listed.body.items.find((c: { id: string }) => c.id === clientId).name;
    token = await systemToken(server, client, 'system/*.read');
  }, 60_000);
  afterAll(() => server?.stop());

  const list = (bearer: string) => server.call('GET', '/api/bulk-exports?limit=10', { token: bearer });

  it('lists a running export with its client, types and progress, then the same export completed at 100 %', async () => {
    const kick = await server.call('GET', '/fhir/$export?_type=Basic,Organization', {
      token,
      headers: prefer,
    });
    expect(kick.status).toBe(202);
    const jobId = kick.headers.get('content-location')?.split('/').pop();

    const running = await list(admin);
    expect(running.status).toBe(200);
    const first = running.body.items.find((j: { id: string }) => j.id === jobId);
    expect(first).toMatchObject({
      clientId,
      clientName,
      level: 'system',
      types: ['Basic', 'Organization'],
      state: 'in-progress',
      startedAt: expect.any(String),
    });
    expect(first.progressPercent).toBeGreaterThanOrEqual(0);
    expect(first.progressPercent).toBeLessThan(100);

    let done = first;
    for (let i = 0; i < 300 && done.state === 'in-progress'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = (await list(admin)).body.items.find((j: { id: string }) => j.id === jobId);
    }
    expect(done).toMatchObject({ state: 'completed', progressPercent: 100, completedAt: expect.any(String) });
    expect(done.written).toBeGreaterThan(300);
    // No clinical content: the list names types and counts, never a resource.
    expect(JSON.stringify(done)).not.toContain('resourceType');
  }, 60_000);

  it('shows a cancelled export as cancelled', async () => {
    const kick = await server.call('GET', '/fhir/$export?_type=Basic', { token, headers: prefer });
    const statusUrl = kick.headers.get('content-location') ?? '';
    const jobId = statusUrl.split('/').pop();
    const cancelled = await server.call('DELETE', statusUrl.slice(server.baseUrl.length), {
      token,
      headers: { accept: 'application/fhir+json' },
    });
    expect(cancelled.status).toBe(202);
    const listed = await list(admin);
    expect(listed.body.items.find((j: { id: string }) => j.id === jobId)).toMatchObject({
      state: 'cancelled',
    });
  }, 60_000);

  it('pages newest first', async () => {
    const firstPage = await server.call('GET', '/api/bulk-exports?limit=1', { token: admin });
    expect(firstPage.body).toMatchObject({ page: 1, limit: 1, hasMore: true });
    const second = await server.call('GET', '/api/bulk-exports?limit=1&page=2', { token: admin });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id < firstPage.body.items[0].id).toBe(true);
  });

  it('audits the read as an administrative one, and refuses (audited) anyone but an administrator', async () => {
    expect(
      await server.models.AuditEvent.exists({
        resourceType: 'fhir-bulk-export',
        action: 'read',
        outcome: 'success',
      }),
    ).not.toBeNull();
    const refused = await list(doctor);
    expect(refused.status).toBe(403);
    expect(
      await server.models.AuditEvent.exists({
        resourceType: 'fhir-bulk-export',
        action: 'read',
        outcome: 'denied',
      }),
    ).not.toBeNull();
    const system = await server.call('GET', '/api/bulk-exports', { token });
    expect(system.status).toBe(403);
  });

  it('tells that the push to a FHIR server is off when records has no push URL', async () => {
    const push = await server.call('GET', '/api/fhir-push', { token: admin });
    expect(push.status).toBe(200);
    expect(push.body).toMatchObject({ items: [], enabled: false });
  });
});
