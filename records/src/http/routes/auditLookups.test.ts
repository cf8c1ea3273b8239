import { beforeAll, describe, expect, it } from 'vitest';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/** What an auditor needs to filter the trail by name: the trail names people and patients, and two lookups. */
describe('the audit trail by name: named events and the people and patient lookups', () => {
  const suite = recordsServerForSuite(['admin', 'auditor', 'doctor.a', 'cardio']);

  beforeAll(async () => {
    // A read of patient A by the clinic doctor: an event that names both.
    const read = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, {
      token: suite.tokens['doctor.a'],
    });
    expect(read.status).toBe(200);
  });

  it('names the actor and the patients of each event on the page, the one event and the CSV', async () => {
    const path = `/api/audit-events?actorId=${suite.f.doctorA.id}&patientId=${suite.f.patientA.id}`;
    const page = await suite.server.call('GET', path, { token: suite.tokens.auditor });
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    const fatma = {
      id: suite.f.patientA.id,
      name: { ar: 'فاطمة أحمد علي', latin: 'Fatma Ahmed Ali' },
      mrn: 'A-1001',
    };
    const doctor = { username: 'doctor.a', name: { ar: 'د. doctor.a', latin: 'Dr doctor.a' } };
    for (const event of page.body.items) {
      expect(event.actor).toEqual(doctor);
      expect(event.patients).toEqual([fatma]);
    }
    const one = await suite.server.call('GET', `/api/audit-events/${page.body.items[0].id}`, {
      token: suite.tokens.auditor,
    });
    expect(one.body).toMatchObject({ actor: doctor, patients: [fatma] });
    // An event with no actor (a sign-in with an unknown name) and none of a patient reads without either.
    const anonymous = await suite.server.call('GET', '/api/audit-events?outcome=denied', {
      token: suite.tokens.admin,
    });
    expect(anonymous.status).toBe(200);

    const csv = await suite.server.call('GET', path.replace('audit-events', 'audit-events.csv'), {
      token: suite.tokens.auditor,
    });
    expect(csv.status).toBe(200);
    const [header, first] = String(csv.body).replace('\uFEFF', '').split('\r\n');
    const columns = header!.split(',');
    const cells = first!.split(',');
    const cell = (name: string) => cells[columns.indexOf(name)];
    expect(cell('actorUsername')).toBe('doctor.a');
    expect(cell('actorNameLatin')).toBe('Dr doctor.a');
    expect(cell('patientMrns')).toBe('A-1001');
    expect(cell('patientNamesAr')).toBe('فاطمة أحمد علي');
  });

  it('finds people by name or username for auditors and administrators, with role and organization', async () => {
    for (const who of ['auditor', 'admin']) {
      const found = await suite.server.call('GET', '/api/audit/people?q=DOCTOR.a', {
        token: suite.tokens[who],
      });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ page: 1, hasMore: false });
      expect(found.body.items).toEqual([
        {
          id: suite.f.doctorA.id,
          username: 'doctor.a',
          name: { ar: 'د. doctor.a', latin: 'Dr doctor.a' },
          role: 'clinic_doctor',
          active: true,
          organization: { id: suite.f.clinicA.id, name: { ar: 'وحدة صحة أبنوب', en: 'Abnoub Health Unit' } },
        },
      ]);
    }
    const byArabic = await suite.server.call(
      'GET',
      `/api/audit/people?q=${encodeURIComponent('د. cardio')}`,
      {
        token: suite.tokens.auditor,
      },
    );
    expect(byArabic.body.items.map((p: { username: string }) => p.username)).toContain('cardio');
    // A pattern in the words is text, not a regular expression.
    const pattern = await suite.server.call('GET', '/api/audit/people?q=.*', { token: suite.tokens.auditor });
    expect(pattern.body.items).toEqual([]);
    const paged = await suite.server.call('GET', '/api/audit/people?limit=1', {
      token: suite.tokens.auditor,
    });
    expect(paged.body).toMatchObject({ limit: 1, hasMore: true });
    expect(paged.body.items).toHaveLength(1);
  });

  it('finds patients by name, MRN or national ID for auditors only, identity only, and audits each one', async () => {
    for (const q of ['fatma ali', 'فاطمة', 'a-1001']) {
      const found = await suite.server.call('GET', `/api/audit/patients?q=${encodeURIComponent(q)}`, {
        token: suite.tokens.auditor,
      });
      expect(found.status, q).toBe(200);
      expect(found.body.items, q).toEqual([
        {
          id: suite.f.patientA.id,
          name: { ar: 'فاطمة أحمد علي', latin: 'Fatma Ahmed Ali' },
          mrn: 'A-1001',
          clinic: { id: suite.f.clinicA.id, name: { ar: 'وحدة صحة أبنوب', en: 'Abnoub Health Unit' } },
        },
      ]);
    }
    const audited = await suite.server.models.AuditEvent.find({
      actorId: suite.f.auditor._id,
      resourceType: 'patient',
      action: 'read',
      reason: 'audit lookup "fatma ali"',
    }).lean();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.patientIds.map(String)).toEqual([suite.f.patientA.id]);

    for (const who of ['doctor.a', 'cardio', 'admin']) {
      const refused = await suite.server.call('GET', '/api/audit/patients?q=fatma', {
        token: suite.tokens[who],
        headers: { 'accept-language': 'ar' },
      });
      expect(refused.status, who).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect(refused.body.error.message).toMatch(/[\u0600-\u06FF]/);
    }
    for (const who of ['doctor.a', 'cardio']) {
      const refused = await suite.server.call('GET', '/api/audit/people?q=a', { token: suite.tokens[who] });
      expect(refused.status, who).toBe(403);
    }
    const refusals = await suite.server.models.AuditEvent.countDocuments({
      actorId: suite.f.doctorA._id,
      outcome: 'denied',
    });
    expect(refusals).toBeGreaterThanOrEqual(2);
    const tooLong = await suite.server.call('GET', `/api/audit/patients?q=${'x'.repeat(101)}`, {
      token: suite.tokens.auditor,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('VALIDATION_FAILED');
  });
});
