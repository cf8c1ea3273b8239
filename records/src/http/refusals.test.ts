import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/AuditLog.js';
import { RefusalAudit } from '../audit/RefusalAudit.js';
import { cardiologyBooking, fixtureUsernames } from '../testing/fixtures.js';
import { recordsServerForSuite } from '../testing/recordsServerForSuite.js';
import { signedClinicDoctorToken, unsignedAdministratorToken } from '../testing/testTokens.js';

/** Issue 24, fault 3: refusals that were answered but never written to the audit trail. */
describe('every refusal is audited', () => {
  const suite = recordsServerForSuite(fixtureUsernames);

  async function deniedTokenEvents(reason: RegExp) {
    const events = await suite.server.models.AuditEvent.find({
      resourceType: 'access-token',
      outcome: 'denied',
    }).lean();
    return events.filter((e) => reason.test(e.reason ?? ''));
  }

  it('audits 401s from missing, garbage, unsigned, forged and expired suite.tokens; trusts only verified subjects', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = unsignedAdministratorToken(suite.f.admin.id, suite.f.hospital.id);
    const forged = await signedClinicDoctorToken(
      generateKeyPairSync('ed25519').privateKey,
      suite.f.admin.id,
      suite.f.clinicA.id,
      now + 600,
    );
    const expired = await signedClinicDoctorToken(
      suite.server.signingKey,
      suite.f.doctorA.id,
      suite.f.clinicA.id,
      now - 60,
    );
    const cases: [string | undefined, RegExp, string | undefined][] = [
      [undefined, /^no access token/, undefined],
      ['not-a-token-at-all', /^malformed access token/, undefined],
      [unsigned, /^unsigned access token \(alg none\), claimed subject/, undefined],
      [forged, /^access token with a bad signature or claims, claimed subject/, undefined],
      [expired, /^expired access token/, suite.f.doctorA.id],
    ];
    for (const [token, reason, actorId] of cases) {
      const res = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, { token });
      expect(res.status, String(reason)).toBe(401);
      const events = await deniedTokenEvents(reason);
      expect(events, String(reason)).toHaveLength(1);
      expect(events[0]?.ip, String(reason)).toBeTruthy();
      expect(events[0]?.actorId?.toHexString(), String(reason)).toBe(actorId);
      expect(events[0]?.reason).toContain(`GET /api/patients/${suite.f.patientA.id}`);
    }
  });

  it('writes a bounded number of events when 401s come in a flood', async () => {
    await Promise.all(
      Array.from({ length: 60 }, () =>
        suite.server.call('GET', '/api/patients', { token: 'garbage-token-x' }),
      ),
    );
    // One from the test above, then the rest of the window's ten; the other 51 are counted, not written.
    expect(await deniedTokenEvents(/^malformed access token/)).toHaveLength(10);
  });

  /**
   * A RefusalAudit over the real audit trail, on a clock the test holds: `closeWindow()` moves it past the
   * one-minute window, writes what the window suppressed, and stops the audit.
   */
  function refusalAuditOnClock(start: number, options: { perWindow: number; maxKeys?: number }) {
    let now = start;
    const refusals = new RefusalAudit(new AuditLog(suite.server.models.AuditEvent), {
      windowMs: 60_000,
      ...options,
      now: () => now,
    });
    const closeWindow = async () => {
      now += 61_000;
      await refusals.flush();
      refusals.stop();
    };
    return { refusals, closeWindow };
  }

  it('sums up the suppressed refusals of a window in one event', async () => {
    const { refusals, closeWindow } = refusalAuditOnClock(1_000_000, { perWindow: 3 });
    const refusal = {
      key: '203.0.113.9 no access token',
      actor: { ip: '203.0.113.9', via: 'http' as const },
      entry: {
        action: 'login',
        resourceType: 'summary-test',
        outcome: 'denied',
        reason: 'no token',
      } as const,
    };
    for (let i = 0; i < 20; i += 1) await refusals.record(refusal);
    await closeWindow();
    const events = await suite.server.models.AuditEvent.find({ resourceType: 'summary-test' }).lean();
    expect(events.map((e) => e.reason).sort()).toEqual([
      'no token',
      'no token',
      'no token',
      'suppressed 17 similar refusals within 60 s (no token)',
    ]);
    expect(events.every((e) => e.ip === '203.0.113.9')).toBe(true);
  });

  it('names the user in the summary when the key is that user, and only the address otherwise', async () => {
    const { refusals, closeWindow } = refusalAuditOnClock(2_000_000, { perWindow: 1 });
    const actorId = '65a1b2c3d4e5f60718293a09';
    const entry = { action: 'update', resourceType: 'actor-summary-test', outcome: 'denied' } as const;
    const actor = { id: actorId, role: 'specialist', ip: '203.0.113.10', via: 'signaling' as const };
    for (let i = 0; i < 3; i += 1) {
      await refusals.record({
        key: `user ${actorId}`,
        keyedByActor: true,
        actor,
        entry: { ...entry, reason: 'a' },
      });
      await refusals.record({ key: 'address 203.0.113.10', actor, entry: { ...entry, reason: 'b' } });
    }
    await closeWindow();
    const summaries = await suite.server.models.AuditEvent.find({
      resourceType: 'actor-summary-test',
      reason: /^suppressed/,
    }).lean();
    expect(summaries.map((e) => [e.reason, e.actorId?.toHexString(), e.actorRole, e.via]).sort()).toEqual([
      ['suppressed 2 similar refusals within 60 s (a)', actorId, 'specialist', 'signaling'],
      ['suppressed 2 similar refusals within 60 s (b)', undefined, undefined, 'signaling'],
    ]);
  });

  it('keeps a bounded number of keys: refusals from new addresses beyond it share one', async () => {
    const { refusals, closeWindow } = refusalAuditOnClock(5_000_000, { perWindow: 1, maxKeys: 3 });
    const entry = {
      action: 'login',
      resourceType: 'overflow-test',
      outcome: 'denied',
      reason: 'no token',
    } as const;
    for (let i = 0; i < 50; i += 1)
      await refusals.record({ key: `198.51.100.${i}`, actor: { ip: `198.51.100.${i}`, via: 'http' }, entry });
    await closeWindow();
    const events = await suite.server.models.AuditEvent.find({ resourceType: 'overflow-test' }).lean();
    // Three addresses with a key each, one event for the first refusal past them, one summary of the other 46.
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.reason)).toContain('suppressed 46 similar refusals within 60 s (no token)');
  });

  it('audits 403 ACCOUNT_INACTIVE with the actor', async () => {
    const deactivated = await suite.server.call('PATCH', `/api/users/${suite.f.doctorB.id}`, {
      token: suite.tokens.admin,
      body: { active: false },
    });
    expect(deactivated.status).toBe(200);
    const res = await suite.server.call('GET', '/api/patients', { token: suite.tokens['doctor.b'] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_INACTIVE');
    const events = await deniedTokenEvents(/^account inactive/);
    expect(events).toHaveLength(1);
    expect(events[0]?.actorId?.toHexString()).toBe(suite.f.doctorB.id);
  });

  it('refuses references to another clinic’s patient with 403, audited, on every route that takes one', async () => {
    const attempts = [
      suite.server.call('POST', '/api/appointments', {
        token: suite.tokens['doctor.a'],
        body: cardiologyBooking(suite.f, { patientId: suite.f.patientB.id }),
      }),
      suite.server.call('POST', '/api/urgent-requests', {
        token: suite.tokens['doctor.a'],
        body: { patientId: suite.f.patientB.id, specialty: 'cardiology', reason: 'chest pain' },
      }),
      suite.server.call('GET', `/api/patients/${suite.f.patientB.id}`, { token: suite.tokens['doctor.a'] }),
      suite.server.call('GET', `/api/patients/${suite.f.patientB.id}/consultations`, {
        token: suite.tokens['doctor.a'],
      }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status, JSON.stringify(res.body)).toBe(403);
    const denied = await suite.server.models.AuditEvent.find({
      actorId: suite.f.doctorA._id,
      outcome: 'denied',
      resourceType: { $ne: 'access-token' },
    }).lean();
    expect(denied.map((e) => e.resourceType).sort()).toEqual([
      'appointments',
      'patients',
      'patients',
      'urgent-requests',
    ]);
    // An administrator books for every clinic: a patient of another clinic than the one named is a mistake.
    const mismatch = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: cardiologyBooking(suite.f, { patientId: suite.f.patientB.id }),
    });
    expect(mismatch.status).toBe(400);
  });

  it('refuses an urgent request to a specialist of another specialty with 403, audited', async () => {
    const request = await suite.server.call('POST', '/api/urgent-requests', {
      token: suite.tokens['doctor.a'],
      body: { patientId: suite.f.patientA.id, specialty: 'cardiology', reason: 'chest pain' },
    });
    expect(request.status).toBe(201);
    const pick = (who: string) =>
      suite.server.call('POST', `/api/urgent-requests/${request.body.id}/pick`, { token: suite.tokens[who] });
    const wrongSpecialty = await pick('derma');
    expect(wrongSpecialty.status).toBe(403);
    expect((await pick('cardio')).status).toBe(200);
    expect((await pick('cardio2')).status).toBe(409);
    const denied = await suite.server.models.AuditEvent.find({
      actorId: suite.f.dermatologist._id,
      outcome: 'denied',
      resourceType: 'urgent-requests',
    }).lean();
    expect(denied).toHaveLength(1);
    expect(denied[0]?.resourceIds).toEqual([request.body.id]);
  });

  it('refuses a role without access before reading its query: 403, audited, whatever the query says', async () => {
    for (const [path, who, actor] of [
      ['/api/patients?limit=abc&clinicId=zz', 'auditor', suite.f.auditor._id],
      ['/api/patients?limit=abc', 'cardio', suite.f.cardiologist._id],
      ['/api/appointments?status=nonsense', 'auditor', suite.f.auditor._id],
    ] as const) {
      const before = await suite.server.models.AuditEvent.countDocuments({
        actorId: actor,
        outcome: 'denied',
      });
      const answer = await suite.server.call('GET', path, { token: suite.tokens[who] });
      expect(answer.status, `${who} ${path}`).toBe(403);
      expect(await suite.server.models.AuditEvent.countDocuments({ actorId: actor, outcome: 'denied' })).toBe(
        before + 1,
      );
    }
  });
});
