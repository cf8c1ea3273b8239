import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, signIn } from '../../testing/fixtures.js';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';
import { startBulkTestServer } from '../testing/startBulkTestServer.js';
import {
  clientAssertion,
  registerSystemClient,
  requestToken,
  type TestSystemClient,
} from '../testing/systemClientTesting.js';

/** Where a reverse proxy publishes records: it strips `/records` and forwards to the test server. */
const publicUrl = 'https://fhir.hospital.example/records';

describe('FHIR_PUBLIC_URL: records behind a reverse proxy', () => {
  let server: RecordsTestServer;
  let client: TestSystemClient;

  beforeAll(async () => {
    server = await startBulkTestServer({ publicUrl });
    await createFixtures(server.models);
    client = await registerSystemClient(server, await signIn(server, 'admin'), ['system/*.read']);
  }, 60_000);
  afterAll(() => server?.stop());

  /** What the proxy does: the public URL's path, on the server behind it. */
  const behindProxy = (url: string) => {
    expect(url.startsWith(`${publicUrl}/`), url).toBe(true);
    return `${server.baseUrl}${url.slice(publicUrl.length)}`;
  };

  async function tokenWithAudience(aud: string) {
    return requestToken(server, {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(server, client, { aud }),
      scope: 'system/*.read',
    });
  }

  it('the token URL an assertion names is the public one, not the address the server listens on', async () => {
    expect((await tokenWithAudience(`${server.baseUrl}/auth/token`)).body).toMatchObject({
      error: 'invalid_client',
    });
    expect((await tokenWithAudience(`${publicUrl}/auth/token`)).status).toBe(200);
  });

  it("the kick-off's Content-Location, the manifest's request and its file URLs are public URLs", async () => {
    const token = (await tokenWithAudience(`${publicUrl}/auth/token`)).body.access_token!;
    const get = (url: string, headers: Record<string, string> = {}) =>
      fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const kick = await get(`${server.baseUrl}/fhir/$export?_type=Patient`, { prefer: 'respond-async' });
    expect(kick.status).toBe(202);
    const statusUrl = kick.headers.get('content-location')!;
    expect(statusUrl).toMatch(new RegExp(`^${publicUrl}/fhir/bulk/[0-9a-f]{24}$`));
    let manifest: { request: string; output: { type: string; url: string; count: number }[] } | undefined;
    for (let i = 0; i < 300 && !manifest; i += 1) {
      const res = await get(behindProxy(statusUrl));
      if (res.status === 200) manifest = (await res.json()) as typeof manifest;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(manifest?.request).toBe(`${publicUrl}/fhir/$export?_type=Patient`);
    expect(manifest?.output).toHaveLength(1);
    const file = await get(behindProxy(manifest!.output[0]!.url));
    expect(file.status).toBe(200);
    expect((await file.text()).trim().split('\n')).toHaveLength(manifest!.output[0]!.count);
  }, 60_000);
});
