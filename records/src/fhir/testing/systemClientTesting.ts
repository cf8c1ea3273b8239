import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';

export interface TestSystemClient {
  id: string;
  privateKey: CryptoKey;
}

/** Registers a system client through the administrators' API with a fresh ES384 key pair. */
export async function registerSystemClient(
  server: RecordsTestServer,
  adminToken: string,
  scopes: string[],
): Promise<TestSystemClient> {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'ES384' };
  const res = await server.call('POST', '/api/system-clients', {
    token: adminToken,
    body: { name: `Hospital EHR ${randomUUID().slice(0, 6)}`, publicKey: { keys: [jwk] }, scopes },
  });
  if (res.status !== 201) throw new Error(`could not register a system client: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, privateKey };
}

export async function clientAssertion(
  server: RecordsTestServer,
  client: TestSystemClient,
  overrides: { jti?: string; aud?: string; expiresIn?: number } = {},
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT' })
    .setIssuer(client.id)
    .setSubject(client.id)
    .setAudience(overrides.aud ?? `${server.baseUrl}/auth/token`)
    .setExpirationTime(Math.floor(Date.now() / 1000) + (overrides.expiresIn ?? 240))
    .setJti(overrides.jti ?? randomUUID())
    .sign(client.privateKey);
}

export async function requestToken(server: RecordsTestServer, form: Record<string, string>) {
  const res = await fetch(`${server.baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

export async function systemToken(server: RecordsTestServer, client: TestSystemClient, scope: string) {
  const res = await requestToken(server, {
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(server, client),
    scope,
  });
  if (res.status !== 200) throw new Error(`no token: ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}
