import { accessTokenIssuer, systemTokenAudience } from '@telemed/shared';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';
import { signedClinicDoctorToken } from '../../testing/testTokens.js';
import { registerSystemClient } from '../testing/systemClientTesting.js';

describe('an expired token on /fhir', () => {
  const suite = recordsServerForSuite(['admin']);
  const anHourAgo = () => Math.floor(Date.now() / 1000) - 3600;

  async function expectExpired(token: string, actorId: string, actorRole: string | undefined) {
    const res = await suite.server.call('GET', '/fhir/$export', {
      token,
      headers: { accept: 'application/fhir+json', prefer: 'respond-async', 'accept-language': 'ar' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const outcome = JSON.parse(res.body as string);
    expect(outcome).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'expired',
          details: { coding: [{ system: 'urn:telemed:error-code', code: 'TOKEN_EXPIRED' }] },
        },
      ],
    });
    expect(outcome.issue[0].details.text).toMatch(/[\u0600-\u06FF]/);
    expect(outcome.issue[0].diagnostics).toMatch(/expired/);
    // Audited as /api audits it: the subject of a token whose signature was verified.
    const refusal = await suite.server.models.AuditEvent.findOne({
      outcome: 'denied',
      actorId,
      reason: /^expired access token: GET \/fhir\/\$export$/,
    }).lean();
    expect(refusal).not.toBeNull();
    expect(refusal?.actorRole).toBe(actorRole);
  }

  it("a user's: 401 TOKEN_EXPIRED as an OperationOutcome, audited naming the user", async () => {
    const { doctorA, clinicA } = suite.f;
    const token = await signedClinicDoctorToken(suite.server.signingKey, doctorA.id, clinicA.id, anHourAgo());
    await expectExpired(token, doctorA.id, undefined);
  });

  it("a system client's: 401 TOKEN_EXPIRED as an OperationOutcome, audited naming the client", async () => {
    const client = await registerSystemClient(suite.server, suite.tokens.admin!, ['system/*.read']);
    const token = await new SignJWT({ scope: 'system/*.read', name: 'Hospital EHR' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject(client.id)
      .setIssuer(accessTokenIssuer)
      .setAudience(systemTokenAudience)
      .setIssuedAt(anHourAgo() - 300)
      .setExpirationTime(anHourAgo())
      .sign(suite.server.signingKey);
    await expectExpired(token, client.id, 'system');
  });

  it('a forged token (another key) stays 401 UNAUTHENTICATED, not TOKEN_EXPIRED', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const forger = generateKeyPairSync('ed25519').privateKey;
    const { doctorA, clinicA } = suite.f;
    const token = await signedClinicDoctorToken(forger, doctorA.id, clinicA.id, anHourAgo());
    const res = await suite.server.call('GET', '/fhir/$export', {
      token,
      headers: { prefer: 'respond-async' },
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body as string).issue[0]).toMatchObject({ code: 'login' });
  });
});
