import { randomBytes, scryptSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, type Fixtures, fixturePassword, signIn } from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';

describe('authentication', () => {
  let server: RecordsTestServer;
  let f: Fixtures;

  beforeAll(async () => {
    server = await startRecordsTestServer({ refreshTtlHours: 1, maxFailedLogins: 3, lockoutMinutes: 15 });
    f = await createFixtures(server.models);
  });
  afterAll(() => server?.stop());

  it('signs in with username and password, returning a token that the API accepts', async () => {
    const res = await server.call('POST', '/api/auth/login', {
      body: { username: 'Doctor.A', password: fixturePassword },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      username: 'doctor.a',
      role: 'clinic_doctor',
      mustChangePassword: false,
    });
    expect(res.headers.get('set-cookie')).toMatch(/telemed_refresh=.*HttpOnly.*SameSite=Strict/i);
    const me = await server.call('GET', '/api/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(f.doctorA.id);
    const audit = await server.models.AuditEvent.findOne({
      action: 'login',
      actorId: f.doctorA._id,
      outcome: 'success',
    });
    expect(audit).not.toBeNull();
  });

  it('names the person in the access token in Arabic and in Latin letters, so every service can show either', async () => {
    const res = await server.call('POST', '/api/auth/login', {
      body: { username: 'doctor.a', password: fixturePassword },
    });
    expect(decodeJwt(res.body.accessToken).name).toEqual({
      ar: f.doctorA.name.ar,
      latin: f.doctorA.name.latin,
    });
    expect(res.body.user.name).toEqual(decodeJwt(res.body.accessToken).name);
  });

  it('hashes passwords with argon2id, and moves an account with an older scrypt hash to it at sign-in', async () => {
    const stored = await server.models.User.findById(f.auditor._id).select('+passwordHash').lean();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const salt = randomBytes(16);
    const legacy = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url')]
      .concat(
        scryptSync(fixturePassword.normalize('NFKC'), salt, 32, { N: 2 ** 14, r: 8, p: 1 }).toString(
          'base64url',
        ),
      )
      .join('$');
    await server.models.User.updateOne({ _id: f.auditor._id }, { $set: { passwordHash: legacy } });
    const wrong = await server.call('POST', '/api/auth/login', {
      body: { username: 'auditor', password: 'not it at all' },
    });
    expect(wrong.status).toBe(401);
    expect(
      (await server.models.User.findById(f.auditor._id).select('+passwordHash').lean())?.passwordHash,
    ).toBe(legacy);
    expect(await signIn(server, 'auditor')).toBeTruthy();
    const upgraded = (await server.models.User.findById(f.auditor._id).select('+passwordHash').lean())
      ?.passwordHash;
    expect(upgraded).toMatch(/^\$argon2id\$/);
    expect(await signIn(server, 'auditor')).toBeTruthy();
  });

  it('refuses a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await server.call('POST', '/api/auth/login', {
      body: { username: 'derma', password: 'nope-nope-nope' },
    });
    const unknown = await server.call('POST', '/api/auth/login', {
      body: { username: 'ghost', password: 'whatever' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    expect(
      await server.models.AuditEvent.countDocuments({ action: 'login', outcome: 'denied' }),
    ).toBeGreaterThanOrEqual(2);
    // The failed attempt counts; a later success resets it.
    expect((await server.models.User.findById(f.dermatologist._id))?.failedLogins).toBe(1);
    await signIn(server, 'derma');
    expect((await server.models.User.findById(f.dermatologist._id))?.failedLogins).toBe(0);
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await server.call('POST', '/api/auth/login', {
        body: { username: 'cardio2', password: 'wrong-password' },
      });
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const third = await server.call('POST', '/api/auth/login', {
      body: { username: 'cardio2', password: 'wrong-password' },
    });
    expect(third.status).toBe(423);
    expect(third.body.error.code).toBe('ACCOUNT_LOCKED');
    const right = await server.call('POST', '/api/auth/login', {
      body: { username: 'cardio2', password: fixturePassword },
    });
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('rejects NoSQL-injection shapes, unknown fields and wrong types with VALIDATION_FAILED', async () => {
    for (const body of [
      { username: { $gt: '' }, password: { $gt: '' } },
      { username: 'admin', password: { $ne: null } },
      { username: 'admin', password: fixturePassword, role: 'administrator' },
      { username: 42, password: fixturePassword },
      [],
    ]) {
      const res = await server.call('POST', '/api/auth/login', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
  });

  it('answers every API route without a token with 401', async () => {
    for (const path of ['/api/patients', '/api/audit-events', '/api/auth/me', '/api/organizations']) {
      const res = await server.call('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    const forged = await server.call('GET', '/api/patients', {
      token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig',
    });
    expect(forged.status).toBe(401);
  });

  it('refreshes with the cookie, rotates it, and ends every session when an old one is replayed', async () => {
    const login = await server.call('POST', '/api/auth/login', {
      body: { username: 'auditor', password: fixturePassword },
    });
    const cookie1 = login.headers.get('set-cookie')!.split(';')[0]!;
    const refreshed = await server.call('POST', '/api/auth/refresh', { headers: { cookie: cookie1 } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const cookie2 = refreshed.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie2).not.toBe(cookie1);

    const replay = await server.call('POST', '/api/auth/refresh', { headers: { cookie: cookie1 } });
    expect(replay.status).toBe(401);
    // The thief's replay also ended the legitimate, rotated session.
    const afterTheft = await server.call('POST', '/api/auth/refresh', { headers: { cookie: cookie2 } });
    expect(afterTheft.status).toBe(401);
  });

  it('signs out: the refresh cookie stops working', async () => {
    const login = await server.call('POST', '/api/auth/login', {
      body: { username: 'doctor.b', password: fixturePassword },
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await server.call('POST', '/api/auth/logout', { headers: { cookie } })).status).toBe(204);
    expect((await server.call('POST', '/api/auth/refresh', { headers: { cookie } })).status).toBe(401);
  });

  it('changes the password: the old one stops working, a weak one is refused', async () => {
    const token = await signIn(server, 'cardio');
    const weak = await server.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: fixturePassword, newPassword: 'short' },
    });
    expect(weak.status).toBe(400);
    const wrongCurrent = await server.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'not-it', newPassword: 'a much longer passphrase' },
    });
    expect(wrongCurrent.status).toBe(401);
    const ok = await server.call('POST', '/api/auth/password', {
      token,
      body: { currentPassword: fixturePassword, newPassword: 'a much longer passphrase' },
    });
    expect(ok.status).toBe(200);
    const old = await server.call('POST', '/api/auth/login', {
      body: { username: 'cardio', password: fixturePassword },
    });
    expect(old.status).toBe(401);
    const fresh = await server.call('POST', '/api/auth/login', {
      body: { username: 'cardio', password: 'a much longer passphrase' },
    });
    expect(fresh.status).toBe(200);
    // Restore for other tests in this file.
    await server.call('POST', '/api/auth/password', {
      token: fresh.body.accessToken,
      body: { currentPassword: 'a much longer passphrase', newPassword: fixturePassword },
    });
  });

  it('shuts a deactivated account out at once, though its token has not expired', async () => {
    const doctorToken = await signIn(server, 'doctor.b');
    const adminToken = await signIn(server, 'admin');
    const off = await server.call('PATCH', `/api/users/${f.doctorB.id}`, {
      token: adminToken,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    const res = await server.call('GET', '/api/auth/me', { token: doctorToken });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_INACTIVE');
    await server.call('PATCH', `/api/users/${f.doctorB.id}`, { token: adminToken, body: { active: true } });
  });
});
