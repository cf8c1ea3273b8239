import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@telemed/service-kit';
import { errorBodySchema, healthReportSchema } from '@telemed/shared';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenIssuer } from './auth/TokenIssuer.js';
import { createRecordsApp } from './createRecordsApp.js';

describe('records app without a database', () => {
  let server: Server;
  let base: string;
  let connection: Connection;
  let closeApp: () => Promise<void>;

  beforeAll(async () => {
    // Port 1 on loopback refuses connections: the database is down.
    connection = mongoose.createConnection('mongodb://127.0.0.1:1/telemed', {
      serverSelectionTimeoutMS: 300,
      bufferCommands: false,
    });
    connection.on('error', () => {});
    const { app, close } = createRecordsApp({
      connection,
      logger: createLogger('records-test', 'silent'),
      tokens: new TokenIssuer(generateKeyPairSync('ed25519').privateKey, 900),
      auth: { refreshTtlHours: 1, maxFailedLogins: 5, lockoutMinutes: 1 },
    });
    closeApp = close;
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await closeApp();
    await connection.close();
  });

  it('is alive on /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(healthReportSchema.parse(await res.json())).toMatchObject({ service: 'records', status: 'ok' });
  });

  it('is not ready on /readyz and says the database check failed', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    const body = healthReportSchema.parse(await res.json());
    expect(body.status).toBe('unavailable');
    expect(body.checks?.database?.ok).toBe(false);
  });

  it('answers unknown routes with a 404 error body', async () => {
    const res = await fetch(`${base}/nothing-here`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(404);
    const body = errorBodySchema.parse(await res.json());
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('/nothing-here');
  });

  it('publishes its token verification key', async () => {
    const res = await fetch(`${base}/.well-known/jwks.json`);
    const body = (await res.json()) as { keys: { kty: string; crv: string; alg: string; d?: string }[] };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(body.keys[0]?.d).toBeUndefined();
  });

  it('rejects malformed JSON with VALIDATION_FAILED', async () => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    expect(res.status).toBe(400);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('VALIDATION_FAILED');
  });

  it('rejects a body over the limit with PAYLOAD_TOO_LARGE', async () => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ big: 'x'.repeat(300_000) }),
    });
    expect(res.status).toBe(413);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
