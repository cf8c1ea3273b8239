import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, type Fixtures, signIn } from '../../testing/fixtures.js';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';
import { startBulkTestServer } from '../testing/startBulkTestServer.js';
import {
  clientAssertion,
  registerSystemClient,
  requestToken,
  systemToken,
  type TestSystemClient,
} from '../testing/systemClientTesting.js';

const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const prefer = { prefer: 'respond-async' };

describe('SMART Backend Services and Bulk Data export, over real HTTP', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  let admin: string;
  let reader: TestSystemClient;
  let patientsOnly: TestSystemClient;
  let token: string;

  beforeAll(async () => {
    server = await startBulkTestServer();
    f = await createFixtures(server.models);
    admin = await signIn(server, 'admin');
    reader = await registerSystemClient(server, admin, ['system/*.read']);
    patientsOnly = await registerSystemClient(server, admin, ['system/Patient.read']);
    token = await systemToken(server, reader, 'system/*.read');
  }, 60_000);
  afterAll(() => server?.stop());

  const fhir = (
    method: string,
    path: string,
    bearer: string | undefined,
    headers: Record<string, string> = {},
  ) => server.call(method, path, { token: bearer, headers: { accept: 'application/fhir+json', ...headers } });
  const relative = (url: string) => url.slice(server.baseUrl.length);
  const parse = (body: unknown) => (typeof body === 'string' ? JSON.parse(body) : body);

  async function waitForManifest(statusUrl: string, bearer = token) {
    for (let i = 0; i < 300; i += 1) {
      const res = await fhir('GET', relative(statusUrl), bearer);
      if (res.status === 200) return res.body;
      expect(res.status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the export did not finish');
  }

  describe('the token endpoint', () => {
    it('grants a bearer token for allowed scopes and audits it naming the client', async () => {
      const res = await requestToken(server, {
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await clientAssertion(server, patientsOnly),
        scope: 'system/Patient.read system/Observation.read',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'bearer', scope: 'system/Patient.read' });
      expect(Number(res.body.expires_in)).toBeLessThanOrEqual(300);
      const event = await server.models.AuditEvent.findOne({
        resourceType: 'system-client',
        action: 'login',
        outcome: 'success',
        actorId: patientsOnly.id,
      }).lean();
      expect(event?.actorRole).toBe('system');
    });

    it('refuses a replayed assertion, a wrong audience, a foreign key, and a scope not allowed', async () => {
      const jti = randomUUID();
      const form = async (
        over: Parameters<typeof clientAssertion>[2] = {},
        scope = 'system/*.read',
        client = reader,
      ) => ({
        grant_type: 'client_credentials',
        client_assertion_type: jwtBearer,
        client_assertion: await clientAssertion(server, client, over),
        scope,
      });
      const replayed = await form({ jti });
      expect((await requestToken(server, replayed)).status).toBe(200);
      const again = await requestToken(server, replayed);
      expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect(again.body.error_description).toMatch(/already used.*\/.*[\u0600-\u06FF]/);
      expect(
        await requestToken(server, await form({ aud: 'https://elsewhere.example/token' })),
      ).toMatchObject({
        status: 401,
        body: { error: 'invalid_client' },
      });
      const impostor = { ...reader, privateKey: patientsOnly.privateKey };
      expect(await requestToken(server, await form({}, 'system/*.read', impostor))).toMatchObject({
        status: 401,
        body: { error: 'invalid_client' },
      });
      expect(await requestToken(server, await form({ expiresIn: 3600 }))).toMatchObject({ status: 401 });
      expect(await requestToken(server, await form({}, 'system/*.read', patientsOnly))).toMatchObject({
        status: 400,
        body: { error: 'invalid_scope' },
      });
      expect(await requestToken(server, { grant_type: 'password' })).toMatchObject({
        status: 400,
        body: { error: 'unsupported_grant_type' },
      });
    });

    it('a system token opens no /api route: 403, audited naming the client', async () => {
      for (const path of [
        '/api/auth/me',
        '/api/patients',
        `/api/patients/${f.patientA.id}`,
        '/api/audit-events',
      ]) {
        const res = await server.call('GET', path, { token });
        expect(res.status, path).toBe(403);
      }
      const refusal = await server.models.AuditEvent.findOne({
        actorId: reader.id,
        outcome: 'denied',
        reason: /system client token on \/api/,
      }).lean();
      expect(refusal?.actorRole).toBe('system');
    });

    it('a deactivated client gets no token and its token no longer works', async () => {
      const gone = await registerSystemClient(server, admin, ['system/*.read']);
      const goneToken = await systemToken(server, gone, 'system/*.read');
      const off = await server.call('POST', `/api/system-clients/${gone.id}/deactivate`, { token: admin });
      expect(off.body).toMatchObject({ active: false });
      expect((await fhir('GET', '/fhir/$export', goneToken, prefer)).status).toBe(403);
      await expect(systemToken(server, gone, 'system/*.read')).rejects.toThrow(/invalid_client/);
    });
  });

  describe('the export', () => {
    it('kick-off, status, manifest and NDJSON files, all types', async () => {
      const kick = await fhir('GET', '/fhir/$export?_type=Organization,Patient', token, prefer);
      expect(kick.status).toBe(202);
      const statusUrl = kick.headers.get('content-location')!;
      expect(statusUrl).toMatch(/\/fhir\/bulk\/[0-9a-f]{24}$/);
      const manifest = await waitForManifest(statusUrl);
      expect(manifest).toMatchObject({
        requiresAccessToken: true,
        error: [],
        request: expect.stringContaining('$export'),
      });
      expect(new Date(manifest.transactionTime).getTime()).toBeGreaterThan(0);
      const organizations = await server.models.Organization.countDocuments();
      const patients = await server.models.Patient.countDocuments();
      expect(manifest.output.map((o: { type: string; count: number }) => [o.type, o.count])).toEqual([
        ['Organization', organizations],
        ['Patient', patients],
      ]);
      for (const output of manifest.output) {
        const file = await fhir('GET', relative(output.url), token);
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toContain('application/fhir+ndjson');
        const lines = (file.body as string)
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(lines).toHaveLength(output.count);
        expect(new Set(lines.map((l) => l.resourceType))).toEqual(new Set([output.type]));
        expect(new Set(lines.map((l) => l.id)).size).toBe(output.count);
      }
      // Many chunks per file: the output was written as it streamed, not built whole.
      expect(await server.models.BulkExportChunk.countDocuments({ type: 'Organization' })).toBeGreaterThan(1);
    });

    it('Patient/$export writes only the Patient compartment; _since leaves out older records', async () => {
      const kick = await fhir('GET', '/fhir/Patient/$export', token, prefer);
      const manifest = await waitForManifest(kick.headers.get('content-location')!);
      expect(manifest.output.map((o: { type: string }) => o.type)).toEqual(['Patient']);

      const cut = new Date(Date.now() + 1000);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await server.models.Patient.updateOne({ _id: f.patientA._id }, { $set: { phone: '01000000000' } });
      const since = await fhir(
        'GET',
        `/fhir/$export?_type=Patient,Organization&_since=${encodeURIComponent(cut.toISOString())}`,
        token,
        prefer,
      );
      const recent = await waitForManifest(since.headers.get('content-location')!);
      expect(recent.output).toEqual([expect.objectContaining({ type: 'Patient', count: 1 })]);
    });

    it('reports progress while running, and a cancel deletes the job and its files', async () => {
      const kick = await fhir('GET', '/fhir/$export?_type=Basic', token, prefer);
      const statusPath = relative(kick.headers.get('content-location')!);
      let progress: string | null = null;
      for (let i = 0; i < 100 && !progress?.match(/^[1-9]\d*\/400/); i += 1) {
        const res = await fhir('GET', statusPath, token);
        expect(res.status).toBe(202);
        expect(res.headers.get('retry-after')).toBe('2');
        progress = res.headers.get('x-progress');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(progress).toMatch(/^[1-9]\d*\/400 resources \(\d+%\)$/);
      const jobId = statusPath.split('/').pop();
      const cancel = await fhir('DELETE', statusPath, token);
      expect(cancel.status).toBe(202);
      expect(parse(cancel.body).resourceType).toBe('OperationOutcome');
      const after = await fhir('GET', statusPath, token);
      expect(after.status).toBe(404);
      expect(parse(after.body)).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ code: 'not-found' }],
      });
      expect((await fhir('GET', `${statusPath}/Basic.ndjson`, token)).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await server.models.BulkExportChunk.countDocuments({ jobId })).toBe(0);
    });

    it('deleting a finished export removes its files', async () => {
      const kick = await fhir('GET', '/fhir/$export?_type=Organization', token, prefer);
      const manifest = await waitForManifest(kick.headers.get('content-location')!);
      expect((await fhir('DELETE', relative(kick.headers.get('content-location')!), token)).status).toBe(202);
      expect((await fhir('GET', relative(manifest.output[0].url), token)).status).toBe(404);
    });

    it('refuses, each with an OperationOutcome and the right status', async () => {
      const outcome = async (
        path: string,
        bearer: string | undefined,
        status: number,
        code: string,
        headers = prefer,
      ) => {
        const res = await fhir('GET', path, bearer, { ...headers, 'accept-language': 'ar' });
        expect(res.status, path).toBe(status);
        const body = parse(res.body);
        expect(body.resourceType).toBe('OperationOutcome');
        expect(body.issue[0].code, path).toBe(code);
        expect(body.issue[0].details.text).toMatch(/[\u0600-\u06FF]/);
        expect(body.issue[0].diagnostics).toMatch(/[A-Za-z]/);
        return body;
      };
      await outcome('/fhir/$export', undefined, 401, 'login');
      await outcome('/fhir/$export', await signIn(server, 'admin'), 403, 'forbidden');
      const patientToken = await systemToken(server, patientsOnly, 'system/Patient.read');
      await outcome('/fhir/$export?_type=Organization', patientToken, 403, 'forbidden');
      await outcome('/fhir/$export?_since=yesterday', token, 400, 'invalid');
      await outcome('/fhir/$export?_since=2024-01-01', token, 400, 'invalid');
      await outcome('/fhir/$export?_type=Spaceship', token, 400, 'invalid');
      await outcome('/fhir/$export?_outputFormat=text/csv', token, 400, 'invalid');
      await outcome('/fhir/$export', token, 400, 'invalid', {} as typeof prefer);
      // Another client's job: neither its status nor its files nor its cancel.
      const kick = await fhir('GET', '/fhir/$export?_type=Patient', token, prefer);
      const statusPath = relative(kick.headers.get('content-location')!);
      await waitForManifest(kick.headers.get('content-location')!);
      await outcome(statusPath, patientToken, 403, 'forbidden');
      await outcome(`${statusPath}/Patient.ndjson`, patientToken, 403, 'forbidden');
      expect((await fhir('DELETE', statusPath, patientToken)).status).toBe(403);
      expect((await fhir('GET', statusPath, token)).status).toBe(200);
      const refusals = await server.models.AuditEvent.countDocuments({
        actorId: patientsOnly.id,
        outcome: 'denied',
        resourceType: 'fhir',
      });
      expect(refusals).toBeGreaterThanOrEqual(4);
    });
  });
});
