import { describe, expect, it } from 'vitest';
import { cardiologyBooking, tomorrowAt } from '../../testing/fixtures.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

const newPatient = {
  mrn: 'a-1002',
  nationalId: '28001011401234',
  name: { ar: 'أحمد محمد إبراهيم', latin: 'Ahmed Mohamed Ibrahim' },
  sex: 'male',
  birthDate: '1980-01-01',
  phone: '+20 100 123 4567',
  allergies: ['sulfa'],
  chronicConditions: ['hypertension'],
  currentMedications: [{ name: 'amlodipine', dose: '5 mg daily' }],
};

describe('patients and who may see them', () => {
  const suite = recordsServerForSuite(['admin', 'auditor', 'doctor.a', 'doctor.b', 'cardio', 'derma']);

  it('lets a clinic doctor register a patient in their clinic, audited', async () => {
    const res = await suite.server.call('POST', '/api/patients', {
      token: suite.tokens['doctor.a'],
      body: newPatient,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mrn: 'A-1002', clinicId: suite.f.clinicA.id, allergies: ['sulfa'] });
    expect(res.body.searchTerms).toBeUndefined();
    const audit = await suite.server.models.AuditEvent.findOne({
      action: 'create',
      resourceIds: res.body.id,
    });
    expect(audit).toMatchObject({ actorRole: 'clinic_doctor', outcome: 'success' });
  });

  it('refuses a duplicate MRN in the same clinic and a duplicate national ID, with 409', async () => {
    const sameMrn = await suite.server.call('POST', '/api/patients', {
      token: suite.tokens['doctor.a'],
      body: { ...newPatient, nationalId: undefined },
    });
    expect(sameMrn.status).toBe(409);
    expect(sameMrn.body.error.message).toContain('mrn');
    const sameNationalId = await suite.server.call('POST', '/api/patients', {
      token: suite.tokens['doctor.b'],
      body: { ...newPatient, mrn: 'B-9' },
    });
    expect(sameNationalId.status).toBe(409);
    expect(sameNationalId.body.error.message).toContain('nationalId');
  });

  it('validates the national ID, dates and unknown fields with field-level messages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...newPatient, mrn: 'x1', nationalId: '12345' }, 'nationalId'],
      [{ ...newPatient, mrn: 'x2', nationalId: '28013011401234' }, 'nationalId'],
      [{ ...newPatient, mrn: 'x3', nationalId: undefined, birthDate: '2999-01-01' }, 'birthDate'],
      [{ ...newPatient, mrn: 'x4', nationalId: undefined, bloodType: 'O+' }, '(root)'],
      [{ ...newPatient, mrn: { $ne: 1 }, nationalId: undefined }, 'mrn'],
    ];
    for (const [body, field] of cases) {
      const res = await suite.server.call('POST', '/api/patients', { token: suite.tokens['doctor.a'], body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });

  it('searches by any word of the Arabic or Latin name, ignoring hamza, and by MRN', async () => {
    const search = async (q: string) =>
      (
        await suite.server.call('GET', `/api/patients?q=${encodeURIComponent(q)}`, {
          token: suite.tokens['doctor.a'],
        })
      ).body;
    expect((await search('احمد')).items.map((p: { mrn: string }) => p.mrn).sort()).toEqual([
      'A-1001',
      'A-1002',
    ]);
    expect((await search('ibra moh')).items.map((p: { mrn: string }) => p.mrn)).toEqual(['A-1002']);
    const byMrn = await search('A-1001');
    expect(byMrn.items.map((p: { mrn: string }) => p.mrn)).toEqual(['A-1001']);
    // Search rows identify the patient; the clinical fields stay in the record itself.
    expect(byMrn.items[0]).toMatchObject({ name: { latin: 'Fatma Ahmed Ali' }, sex: 'female' });
    expect(byMrn.items[0].allergies).toBeUndefined();
    // Clinic B's patient is invisible to clinic A's doctor, even by exact name.
    expect((await search('mahmoud')).items).toEqual([]);
  });

  it('pages through matches with hasMore', async () => {
    const first = await suite.server.call('GET', '/api/patients?q=ahmed&limit=1', {
      token: suite.tokens['doctor.a'],
    });
    expect(first.body).toMatchObject({ page: 1, limit: 1, hasMore: true });
    const second = await suite.server.call('GET', '/api/patients?q=ahmed&limit=1&page=2', {
      token: suite.tokens['doctor.a'],
    });
    expect(second.body).toMatchObject({ page: 2, hasMore: false });
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it("keeps clinic doctors to their own clinic's patients (403, audited)", async () => {
    const res = await suite.server.call('GET', `/api/patients/${suite.f.patientB.id}`, {
      token: suite.tokens['doctor.a'],
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const audit = await suite.server.models.AuditEvent.findOne({
      outcome: 'denied',
      resourceIds: suite.f.patientB.id,
    });
    expect(audit).toMatchObject({ actorRole: 'clinic_doctor', action: 'read', resourceType: 'patients' });
  });

  it('says why it refused in the language asked for, Arabic by default', async () => {
    const read = (language: string) =>
      suite.server.call('GET', `/api/patients/${suite.f.patientB.id}`, {
        token: suite.tokens['doctor.a'],
        headers: { 'accept-language': language },
      });
    const arabic = await read('ar-EG,ar;q=0.9');
    expect(arabic.status).toBe(403);
    expect(arabic.body.error).toEqual({
      code: 'FORBIDDEN',
      message: 'لا يحق لك الاطلاع على السجل الطبي لهذا المريض.',
    });
    const english = await read('en-GB');
    expect(english.body.error.message).toBe('You may not see this patient’s clinical record.');
  });

  it('summarises invalid input in Arabic, keeping the field paths', async () => {
    const res = await suite.server.call('POST', '/api/patients', {
      token: suite.tokens['doctor.a'],
      headers: { 'accept-language': 'ar' },
      body: { ...newPatient, mrn: 'x9', nationalId: '12345' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^البيانات المرسلة غير صحيحة.*nationalId/);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('nationalId');
  });

  it('shows administrators demographics but no clinical fields, and auditors nothing', async () => {
    const admin = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, {
      token: suite.tokens.admin,
    });
    expect(admin.status).toBe(200);
    expect(admin.body.name.latin).toBe('Fatma Ahmed Ali');
    expect(admin.body.allergies).toBeUndefined();
    const auditor = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, {
      token: suite.tokens.auditor,
    });
    expect(auditor.status).toBe(403);
    const adminHistory = await suite.server.call(
      'GET',
      `/api/patients/${suite.f.patientA.id}/consultations`,
      {
        token: suite.tokens.admin,
      },
    );
    expect(adminHistory.status).toBe(403);
  });

  it('lets a specialist see a patient only once booked with them', async () => {
    const before = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, {
      token: suite.tokens.cardio,
    });
    expect(before.status).toBe(403);
    const booking = await suite.server.call('POST', '/api/appointments', {
      token: suite.tokens.admin,
      body: cardiologyBooking(suite.f, {
        start: tomorrowAt(9),
        end: tomorrowAt(9, 30),
        reason: 'chest pain on exertion',
      }),
    });
    expect(booking.status).toBe(201);
    const after = await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, {
      token: suite.tokens.cardio,
    });
    expect(after.status).toBe(200);
    expect(after.body.allergies).toEqual(['penicillin']);
    // The dermatologist was not booked: still refused.
    expect(
      (await suite.server.call('GET', `/api/patients/${suite.f.patientA.id}`, { token: suite.tokens.derma }))
        .status,
    ).toBe(403);
  });

  it('audits every patient read: a search is one event naming each row it returned', async () => {
    const before = await suite.server.models.AuditEvent.countDocuments({
      action: 'read',
      resourceType: 'patient',
    });
    const res = await suite.server.call('GET', '/api/patients?q=ahmed', { token: suite.tokens['doctor.a'] });
    expect(res.body.items).toHaveLength(2);
    const after = await suite.server.models.AuditEvent.countDocuments({
      action: 'read',
      resourceType: 'patient',
    });
    expect(after - before).toBe(1);
    const event = await suite.server.models.AuditEvent.findOne({ action: 'read', resourceType: 'patient' })
      .sort({ at: -1 })
      .lean();
    const ids = res.body.items.map((p: { id: string }) => p.id).sort();
    expect(event?.patientIds.map(String).sort()).toEqual(ids);
    expect(event?.reason).toBe('search "ahmed"');
  });

  it('reads the audit log only as auditor or administrator, newest first', async () => {
    const denied = await suite.server.call('GET', '/api/audit-events', { token: suite.tokens['doctor.a'] });
    expect(denied.status).toBe(403);
    const res = await suite.server.call('GET', `/api/audit-events?patientId=${suite.f.patientB.id}&limit=5`, {
      token: suite.tokens.auditor,
    });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      outcome: 'denied',
      patientIds: [suite.f.patientB.id],
      actorId: suite.f.doctorA.id,
    });
    const times = res.body.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('lets an administrator search every clinic or narrow to one; a clinic doctor stays in their own', async () => {
    const found = async (token: string | undefined, query: string) => {
      const res = await suite.server.call('GET', `/api/patients${query}`, { token });
      expect(res.status).toBe(200);
      return res.body.items as { id: string; clinicId: string }[];
    };
    const everyClinic = await found(suite.tokens.admin, '?limit=100');
    expect(everyClinic.map((p) => p.id)).toEqual(
      expect.arrayContaining([suite.f.patientA.id, suite.f.patientB.id]),
    );
    const narrowed = await found(suite.tokens.admin, `?limit=100&clinicId=${suite.f.clinicB.id}`);
    expect(narrowed.map((p) => p.id)).toContain(suite.f.patientB.id);
    expect(new Set(narrowed.map((p) => p.clinicId))).toEqual(new Set([suite.f.clinicB.id]));
    const doctorAsksForAnother = await found(
      suite.tokens['doctor.a'],
      `?limit=100&clinicId=${suite.f.clinicB.id}`,
    );
    expect(doctorAsksForAnother.map((p) => p.id)).toContain(suite.f.patientA.id);
    expect(new Set(doctorAsksForAnother.map((p) => p.clinicId))).toEqual(new Set([suite.f.clinicA.id]));
  });
});
