import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, signIn } from '../../testing/fixtures.js';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';
import { startBulkTestServer } from '../testing/startBulkTestServer.js';
import { registerSystemClient, systemToken } from '../testing/systemClientTesting.js';

const prefer = { prefer: 'respond-async' };
/** Short leases and sweeps: a dead node's job is taken over within seconds, not the production half-minute. */
const runner = { chunkBytes: 2_000, leaseMs: 1_500, sweepMs: 300 };

describe('Bulk Data export across records nodes on one database', () => {
  /** Owns the database; never stopped before the end. */
  let first: RecordsTestServer;
  let token: string;

  beforeAll(async () => {
    first = await startBulkTestServer({ runner, slow: { count: 600, delayMs: 10 } });
    await createFixtures(first.models);
    const client = await registerSystemClient(first, await signIn(first, 'admin'), ['system/*.read']);
    token = await systemToken(first, client, 'system/*.read');
  }, 60_000);
  afterAll(() => first?.stop());

  const startNode = () =>
    startBulkTestServer({ runner, slow: { count: 600, delayMs: 10 }, sameDatabaseAs: first });
  /** The same path on another node: what a load balancer does with the status and file URLs. */
  const on = (node: RecordsTestServer, url: string) => `${node.baseUrl}${new URL(url).pathname}`;
  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', ...headers },
    });

  async function manifestFrom(
    statusUrl: string,
  ): Promise<{ output: { type: string; url: string; count: number }[] }> {
    for (let i = 0; i < 600; i += 1) {
      const res = await get(statusUrl);
      if (res.status === 200) return (await res.json()) as never;
      expect(res.status, await res.text()).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the export did not finish');
  }

  it('a second node answers the status and the files of a job started on the first', async () => {
    const second = await startNode();
    try {
      const kick = await get(`${first.baseUrl}/fhir/$export?_type=Organization,Patient`, prefer);
      expect(kick.status).toBe(202);
      const manifest = await manifestFrom(on(second, kick.headers.get('content-location')!));
      expect(manifest.output.map((o: { type: string }) => o.type)).toEqual(['Organization', 'Patient']);
      for (const output of manifest.output) {
        const file = await get(on(second, output.url));
        expect(file.status).toBe(200);
        expect((await file.text()).trim().split('\n')).toHaveLength(output.count);
      }
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('a job whose node stopped mid-export is taken over when its lease lapses, and completes once', async () => {
    const doomed = await startNode();
    const kick = await get(`${doomed.baseUrl}/fhir/$export?_type=Basic`, prefer);
    expect(kick.status).toBe(202);
    const statusUrl = kick.headers.get('content-location')!;
    const jobId = new URL(statusUrl).pathname.split('/').pop();
    // Some of it written by the doomed node, then it stops (its runner with it).
    for (let i = 0; i < 300; i += 1) {
      const job = await first.models.BulkExportJob.findById(jobId).lean();
      if ((job?.written ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const before = await first.models.BulkExportJob.findById(jobId).lean();
    expect(before?.written).toBeGreaterThan(0);
    expect(before?.written).toBeLessThan(600);
    const doomedOwner = before?.leaseOwner;
    await doomed.stop();
    // Stopped, not failed: the job waits for its lease to lapse.
    const stopped = await first.models.BulkExportJob.findById(jobId).lean();
    expect(stopped?.status).toBe('in-progress');

    const manifest = await manifestFrom(on(first, statusUrl));
    expect(manifest.output).toEqual([expect.objectContaining({ type: 'Basic', count: 600 })]);
    const after = await first.models.BulkExportJob.findById(jobId).lean();
    expect(after?.leaseOwner).toBeDefined();
    expect(after?.leaseOwner).not.toBe(doomedOwner);
    // Written again from the start by the new node: every resource exactly once, nothing of the dead run left.
    const file = await get(on(first, manifest.output[0]!.url));
    const ids = (await file.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
  }, 120_000);
});
