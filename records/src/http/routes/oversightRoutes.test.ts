import { beforeAll, describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/** What the governance dashboard and the auditor's screens read: today's totals, the trail's filters and CSV. */
describe('oversight: governorate totals, the audit trail by action, and its CSV export', () => {
  const suite = recordsServerForSuite(['admin', 'auditor', 'doctor.a', 'cardio']);

  beforeAll(async () => {
    const booked = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens['doctor.a'],
      body: cardiologyBooking(suite.f),
    });
    expect(booked.status).toBe(201);
    // A read of the patient: an event of the trail that names them.
    expect(
      (
        await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, {
          token: suite.tokens['doctor.a'],
        })
      ).status,
    ).toBe(200);
  });

  it('counts a day’s appointments per governorate by status, for administrators only', async () => {
    const day = tomorrowAt(12).slice(0, 10);
    const totals = await suite.server.call('GET', `/api/reports/governorates?date=${day}`, {
      token: suite.tokens.admin,
    });
    expect(totals.status).toBe(200);
    expect(totals.body).toEqual({
      date: day,
      timeZone: 'Africa/Cairo',
      rows: [
        {
          governorate: 'Assiut',
          clinics: 2,
          appointments: 1,
          scheduled: 1,
          waiting: 0,
          inProgress: 0,
          completed: 0,
          cancelled: 0,
          noShow: 0,
        },
      ],
    });
    // Today, when no date is given: nothing booked, and the governorate still shows with zeros.
    const today = await suite.server.call('GET', '/api/reports/governorates', { token: suite.tokens.admin });
    expect(today.body.rows).toEqual([expect.objectContaining({ governorate: 'Assiut', appointments: 0 })]);
    for (const other of ['auditor', 'doctor.a', 'cardio']) {
      expect(
        (await suite.server.call('GET', '/api/reports/governorates', { token: suite.tokens[other] })).status,
      ).toBe(403);
    }
    const bad = await suite.server.call('GET', '/api/reports/governorates?date=tomorrow', {
      token: suite.tokens.admin,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('filters the trail by action', async () => {
    const creates = await suite.server.call('GET', '/api/audit-events?action=create', {
      token: suite.tokens.auditor,
    });
    expect(creates.status).toBe(200);
    expect(creates.body.items.length).toBeGreaterThan(0);
    expect(creates.body.items.every((e: { action: string }) => e.action === 'create')).toBe(true);
    const bad = await suite.server.call('GET', '/api/audit-events?action=steal', {
      token: suite.tokens.auditor,
    });
    expect(bad.status).toBe(400);
  });

  it('exports the filtered trail as CSV, and audits the export with its filter', async () => {
    const csv = await suite.server.call('GET', `/api/audit-events.csv?patientId=${suite.f.patientA.id}`, {
      token: suite.tokens.auditor,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('audit-events.csv');
    const [header, ...rows] = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header).toBe(
      'id,at,actorId,actorUsername,actorNameLatin,actorNameAr,actorRole,action,resourceType,resourceIds,patientIds,patientMrns,patientNamesLatin,patientNamesAr,outcome,reason,ip,via',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain(suite.f.patientA.id);
    // Newest first, as the trail lists them.
    const times = rows.map((row) => row.split(',')[1] as string);
    expect([...times].sort().reverse()).toEqual(times);

    const exports = await suite.server.call('GET', '/api/audit-events?action=export', {
      token: suite.tokens.auditor,
    });
    expect(exports.body.items[0]).toMatchObject({
      action: 'export',
      resourceType: 'audit-log',
      outcome: 'success',
      actorRole: 'auditor',
      reason: expect.stringContaining(suite.f.patientA.id),
    });
  });

  it('reads one audit event by id, audits the read, and answers an unknown or malformed id clearly', async () => {
    const creates = await suite.server.call('GET', '/api/audit-events?action=create&limit=1', {
      token: suite.tokens.auditor,
    });
    const [listed] = creates.body.items;
    const one = await suite.server.call('GET', `/api/audit-events/${listed.id}`, {
      token: suite.tokens.admin,
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(listed);
    const reads = await suite.server.call('GET', '/api/audit-events?action=read&limit=5', {
      token: suite.tokens.auditor,
    });
    expect(reads.body.items).toContainEqual(
      expect.objectContaining({
        resourceType: 'audit-log',
        resourceIds: [listed.id],
        actorRole: 'administrator',
        outcome: 'success',
      }),
    );

    const unknown = await suite.server.call('GET', '/api/audit-events/0123456789abcdef01234567', {
      token: suite.tokens.auditor,
      headers: { 'accept-language': 'ar' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'هذا الحدث غير موجود في سجل التدقيق.',
    });
    const malformed = await suite.server.call('GET', '/api/audit-events/not-an-id', {
      token: suite.tokens.auditor,
    });
    // As for every record id in a path: a malformed one is simply not found, never a database error.
    expect(malformed.status).toBe(404);
    expect(malformed.body.error.code).toBe('NOT_FOUND');
    const refused = await suite.server.call('GET', `/api/audit-events/${listed.id}`, {
      token: suite.tokens.cardio,
    });
    expect(refused.status).toBe(403);
  });

  it('refuses the export to clinical roles, and audits the refusal', async () => {
    const refused = await suite.server.call('GET', '/api/audit-events.csv', {
      token: suite.tokens['doctor.a'],
    });
    expect(refused.status).toBe(403);
    const denied = await suite.server.call('GET', '/api/audit-events?outcome=denied', {
      token: suite.tokens.auditor,
    });
    expect(denied.body.items.some((e: { actorRole?: string }) => e.actorRole === 'clinic_doctor')).toBe(true);
  });
});
