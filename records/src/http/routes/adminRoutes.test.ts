import { describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

describe('administration: organizations, accounts, availability, reports', () => {
  const suite = recordsServerForSuite(['admin', 'auditor', 'doctor.a', 'cardio']);

  it('lets only administrators create organizations and accounts', async () => {
    const clinic = {
      kind: 'clinic',
      name: { ar: 'وحدة صحة منفلوط', en: 'Manfalut Health Unit' },
      governorate: 'Assiut',
      district: 'Manfalut',
    };
    expect(
      (
        await suite.server.call('POST', '/api/organizations', {
          token: suite.tokens['doctor.a'],
          body: clinic,
        })
      ).status,
    ).toBe(403);
    const created = await suite.server.call('POST', '/api/organizations', {
      token: suite.tokens.admin,
      body: clinic,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'clinic', timeZone: 'Africa/Cairo', active: true });

    const account = {
      username: 'New.Doctor',
      password: 'temporary password 1',
      name: { ar: 'د. جديد', latin: 'Dr New' },
      role: 'clinic_doctor',
      organizationId: created.body.id,
    };
    expect(
      (await suite.server.call('POST', '/api/users', { token: suite.tokens.auditor, body: account })).status,
    ).toBe(403);
    const user = await suite.server.call('POST', '/api/users', { token: suite.tokens.admin, body: account });
    expect(user.status).toBe(201);
    expect(user.body.username).toBe('new.doctor');
    expect(user.body.passwordHash).toBeUndefined();
    const duplicate = await suite.server.call('POST', '/api/users', {
      token: suite.tokens.admin,
      body: account,
    });
    expect(duplicate.status).toBe(409);

    const login = await suite.server.call('POST', '/api/auth/login', {
      body: { username: 'new.doctor', password: 'temporary password 1' },
    });
    expect(login.body.user.mustChangePassword).toBe(true);
  });

  it('checks account rules: specialists need a specialty their hospital offers, clinic doctors a clinic', async () => {
    const base = { password: 'temporary password 1', name: { ar: 'د. س', latin: 'Dr S' } };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, username: 'spec1', role: 'specialist', organizationId: suite.f.hospital.id }, 'specialty'],
      [
        {
          ...base,
          username: 'spec2',
          role: 'specialist',
          organizationId: suite.f.hospital.id,
          specialty: 'neurology',
        },
        'does not offer',
      ],
      [
        { ...base, username: 'spec3', role: 'clinic_doctor', organizationId: suite.f.hospital.id },
        'belongs to a clinic',
      ],
      [{ ...base, username: 'spec4', role: 'superuser', organizationId: suite.f.hospital.id }, 'role'],
    ];
    for (const [body, text] of cases) {
      const res = await suite.server.call('POST', '/api/users', { token: suite.tokens.admin, body });
      expect(res.status, text).toBe(400);
      expect(JSON.stringify(res.body.error), text).toContain(text);
    }
  });

  it('sets availability for a specialist; bookings then follow it', async () => {
    const put = await suite.server.call('PUT', `/api/specialists/${suite.f.cardiologist.id}/availability`, {
      token: suite.tokens.admin,
      body: { weekly: [{ weekday: 1, start: '10:00', end: '09:00' }] },
    });
    expect(put.status).toBe(400);
    const day = new Date(tomorrowAt(12)).getUTCDay();
    const ok = await suite.server.call('PUT', `/api/specialists/${suite.f.cardiologist.id}/availability`, {
      token: suite.tokens.admin,
      body: { weekly: [{ weekday: day, start: '12:00', end: '13:00' }] },
    });
    expect(ok.status).toBe(200);
    const read = await suite.server.call('GET', `/api/specialists/${suite.f.cardiologist.id}/availability`, {
      token: suite.tokens['doctor.a'],
    });
    expect(read.body.weekly).toEqual([{ weekday: day, start: '12:00', end: '13:00' }]);
    const booking = (hour: number) =>
      suite.server.call('POST', '/api/appointments', {
        token: suite.tokens.admin,
        body: cardiologyBooking(suite.f, {
          start: tomorrowAt(hour),
          end: tomorrowAt(hour, 30),
          reason: 'follow-up',
        }),
      });
    expect((await booking(12)).status).toBe(201);
    expect((await booking(10)).status).toBe(409);
  });

  it('reports appointments per clinic as JSON and CSV, for administrators only', async () => {
    const day = tomorrowAt(12).slice(0, 10);
    const denied = await suite.server.call('GET', `/api/reports/consultations?from=${day}&to=${day}`, {
      token: suite.tokens.cardio,
    });
    expect(denied.status).toBe(403);
    const json = await suite.server.call(
      'GET',
      `/api/reports/consultations?from=${day}&to=${day}&groupBy=clinic`,
      { token: suite.tokens.admin, headers: { 'accept-language': 'ar' } },
    );
    expect(json.status).toBe(200);
    expect(json.body.rows).toEqual([
      expect.objectContaining({
        group: suite.f.clinicA.id,
        label: 'وحدة صحة أبنوب',
        labels: { ar: 'وحدة صحة أبنوب', en: 'Abnoub Health Unit' },
        appointments: 1,
        cancelled: 0,
      }),
    ]);
    // In English, the label is the clinic's English name: an English report shows no Arabic names.
    const english = await suite.server.call(
      'GET',
      `/api/reports/consultations?from=${day}&to=${day}&groupBy=specialty`,
      { token: suite.tokens.admin, headers: { 'accept-language': 'en' } },
    );
    expect(english.body.rows).toEqual([
      expect.objectContaining({
        label: 'Cardiology',
        labels: { ar: 'أمراض القلب', en: 'Cardiology' },
      }),
    ]);
    const csv = await suite.server.call(
      'GET',
      `/api/reports/consultations?from=${day}&to=${day}&groupBy=specialty&format=csv`,
      {
        token: suite.tokens.admin,
      },
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'group,label,appointments,completed,cancelled,noShow,cancellationRate,noShowRate,medianWaitMinutes,medianDurationMinutes',
    );
    // The CSV names each group in the language asked for (English here).
    expect(lines[1]).toMatch(/^cardiology,Cardiology,1,0,0,0,0,0,,$/);
    const bad = await suite.server.call('GET', '/api/reports/consultations?from=2026-12-10&to=2026-12-01', {
      token: suite.tokens.admin,
    });
    expect(bad.status).toBe(400);
  });

  it('pages the accounts, sorted by username, with the total, and refuses a page too large', async () => {
    const first = await suite.server.call('GET', '/api/users?limit=2', { token: suite.tokens.admin });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, limit: 2, hasMore: true });
    expect(first.body.items).toHaveLength(2);
    const total = first.body.total as number;
    expect(total).toBeGreaterThan(2);
    const second = await suite.server.call('GET', '/api/users?limit=2&page=2', { token: suite.tokens.admin });
    const usernames = [...first.body.items, ...second.body.items].map(
      (u: { username: string }) => u.username,
    );
    expect(usernames).toEqual([...usernames].sort());
    expect(new Set(usernames).size).toBe(usernames.length);

    const last = await suite.server.call('GET', `/api/users?limit=2&page=${Math.ceil(total / 2)}`, {
      token: suite.tokens.admin,
    });
    expect(last.body.hasMore).toBe(false);
    const specialists = await suite.server.call('GET', '/api/users?role=specialist&limit=100', {
      token: suite.tokens.admin,
    });
    expect(specialists.body.items.every((u: { role: string }) => u.role === 'specialist')).toBe(true);
    expect(specialists.body.total).toBe(specialists.body.items.length);

    const tooLarge = await suite.server.call('GET', '/api/users?limit=5000', { token: suite.tokens.admin });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error.code).toBe('VALIDATION_FAILED');
  });
});
