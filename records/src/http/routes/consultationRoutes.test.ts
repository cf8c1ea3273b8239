import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardiologyBooking,
  createFixtures,
  type Fixtures,
  signIn,
  tomorrowAt,
} from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(300_000, 7), // a few GridFS chunks' worth
]);

describe('consultations', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  const tokens: Record<string, string> = {};
  let consultationId: string;
  let appointmentId: string;

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    for (const name of ['admin', 'doctor.a', 'doctor.b', 'cardio', 'cardio2'])
      tokens[name] = await signIn(server, name);
    const appointment = await server.call('POST', '/api/appointments', {
      token: tokens['doctor.a'],
      body: cardiologyBooking(f, {
        start: tomorrowAt(11),
        end: tomorrowAt(11, 30),
        reason: 'exertional dyspnoea',
      }),
    });
    appointmentId = appointment.body.id;
  });
  afterAll(() => server?.stop());

  it('opens a draft for the appointment, once, for the clinic and the booked specialist only', async () => {
    const [fromClinic, fromSpecialist] = await Promise.all([
      server.call('GET', `/api/appointments/${appointmentId}/consultation`, { token: tokens['doctor.a'] }),
      server.call('GET', `/api/appointments/${appointmentId}/consultation`, { token: tokens.cardio }),
    ]);
    expect(fromClinic.status).toBe(200);
    expect(fromSpecialist.body.id).toBe(fromClinic.body.id);
    expect(fromClinic.body).toMatchObject({
      status: 'draft',
      version: 0,
      content: { reasonForVisit: 'exertional dyspnoea' },
    });
    consultationId = fromClinic.body.id;
    for (const outsider of ['doctor.b', 'cardio2', 'admin']) {
      const res = await server.call('GET', `/api/consultations/${consultationId}`, {
        token: tokens[outsider],
      });
      expect(res.status, outsider).toBe(403);
    }
  });

  it('records vital signs from the clinic with units and plausible ranges', async () => {
    const takenAt = new Date().toISOString();
    const bp = await server.call('POST', `/api/consultations/${consultationId}/vital-signs`, {
      token: tokens['doctor.a'],
      body: { kind: 'blood-pressure', systolic: 150, diastolic: 95, unit: 'mmHg', takenAt },
    });
    expect(bp.status).toBe(201);
    expect(bp.body).toMatchObject({ recordedBy: f.doctorA.id, systolic: 150 });
    const spo2 = await server.call('POST', `/api/consultations/${consultationId}/vital-signs`, {
      token: tokens['doctor.a'],
      body: { kind: 'spo2', value: 94, unit: '%', takenAt },
    });
    expect(spo2.status).toBe(201);
    for (const bad of [
      { kind: 'spo2', value: 140, unit: '%', takenAt },
      { kind: 'temperature', value: 38.5, unit: 'F', takenAt },
      { kind: 'heart-rate', value: '90', unit: '/min', takenAt },
      { kind: 'mood', value: 3, unit: '', takenAt },
    ]) {
      const res = await server.call('POST', `/api/consultations/${consultationId}/vital-signs`, {
        token: tokens['doctor.a'],
        body: bad,
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const specialistTries = await server.call('POST', `/api/consultations/${consultationId}/vital-signs`, {
      token: tokens.cardio,
      body: { kind: 'heart-rate', value: 80, unit: '/min', takenAt },
    });
    expect(specialistTries.status).toBe(403);
  });

  it('refuses a stale edit with 409 instead of overwriting', async () => {
    const current = await server.call('GET', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
    });
    const version = current.body.version as number;
    const first = await server.call('PATCH', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
      body: { version, changes: { findings: 'Bilateral basal crackles.' } },
    });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(version + 1);
    const stale = await server.call('PATCH', `/api/consultations/${consultationId}`, {
      token: tokens['doctor.a'],
      body: { version, changes: { history: 'Smoker, 20 pack-years.' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_WRITE');
    const fresh = await server.call('GET', `/api/consultations/${consultationId}`, { token: tokens.cardio });
    expect(fresh.body.content.findings).toBe('Bilateral basal crackles.');
    expect(fresh.body.content.history).toBeUndefined();
  });

  it('lets the clinic write history but not the specialist’s opinion', async () => {
    const { body } = await server.call('GET', `/api/consultations/${consultationId}`, {
      token: tokens['doctor.a'],
    });
    const res = await server.call('PATCH', `/api/consultations/${consultationId}`, {
      token: tokens['doctor.a'],
      body: { version: body.version, changes: { diagnoses: [{ code: 'I50.0', text: 'heart failure' }] } },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('diagnoses');
  });

  it('accepts ICD-10 codes from the list only', async () => {
    const { body } = await server.call('GET', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
    });
    const unknown = await server.call('PATCH', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
      body: { version: body.version, changes: { diagnoses: [{ code: 'Z99.99', text: 'made up' }] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('Z99.99');
    const search = await server.call('GET', `/api/icd10?q=${encodeURIComponent('قصور القلب')}`, {
      token: tokens.cardio,
    });
    expect(search.body.items.map((e: { code: string }) => e.code)).toContain('I50.0');
    const ok = await server.call('PATCH', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
      body: {
        version: body.version,
        changes: {
          diagnoses: [{ code: 'i50.0', text: 'Congestive heart failure' }],
          plan: 'Furosemide 40 mg daily; echo within 2 weeks.',
          followUpDate: '2026-12-15',
        },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.content.diagnoses[0]).toEqual({
      code: 'I50.0',
      text: 'Congestive heart failure',
      kind: 'primary',
    });
  });

  it('stores attachments in GridFS, checking type, content and size', async () => {
    const upload = await server.call('POST', `/api/consultations/${consultationId}/attachments`, {
      token: tokens['doctor.a'],
      rawBody: png,
      headers: { 'content-type': 'image/png', 'x-file-name': encodeURIComponent('أشعة الصدر.png') },
    });
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({
      fileName: 'أشعة الصدر.png',
      size: png.length,
      contentType: 'image/png',
      sha1: createHash('sha1').update(png).digest('base64'),
    });
    const stored = await server.models.Consultation.findById(consultationId).lean();
    expect(stored?.attachments.find((a) => a.id === upload.body.id)?.sha1).toBe(upload.body.sha1);
    const download = await fetch(
      `${server.baseUrl}/api/consultations/${consultationId}/attachments/${upload.body.id}`,
      {
        headers: { authorization: `Bearer ${tokens.cardio}` },
      },
    );
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);

    const exe = await server.call('POST', `/api/consultations/${consultationId}/attachments`, {
      token: tokens['doctor.a'],
      rawBody: Buffer.from('MZ\x90\x00'),
      headers: { 'content-type': 'application/x-msdownload' },
    });
    expect(exe.status).toBe(400);
    const disguised = await server.call('POST', `/api/consultations/${consultationId}/attachments`, {
      token: tokens['doctor.a'],
      rawBody: Buffer.from('MZ\x90\x00 not a pdf'),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(disguised.status).toBe(400);
    expect(disguised.body.error.message).toContain('not application/pdf');
    const huge = await server.call('POST', `/api/consultations/${consultationId}/attachments`, {
      token: tokens['doctor.a'],
      rawBody: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(16 * 1024 * 1024)]),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(huge.status).toBe(413);
  });

  it('is signed by the specialist, then read-only; an amendment keeps the earlier version', async () => {
    const { body } = await server.call('GET', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
    });
    const signed = await server.call('POST', `/api/consultations/${consultationId}/sign`, {
      token: tokens.cardio,
      body: { version: body.version },
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', signedBy: f.cardiologist.id });

    const edit = await server.call('PATCH', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
      body: { version: signed.body.version, changes: { plan: 'changed quietly' } },
    });
    expect(edit.status).toBe(422);
    const vitals = await server.call('POST', `/api/consultations/${consultationId}/vital-signs`, {
      token: tokens['doctor.a'],
      body: { kind: 'heart-rate', value: 80, unit: '/min', takenAt: new Date().toISOString() },
    });
    expect(vitals.status).toBe(422);

    const amended = await server.call('POST', `/api/consultations/${consultationId}/amendments`, {
      token: tokens.cardio,
      body: {
        version: signed.body.version,
        reason: 'dose corrected',
        changes: { plan: 'Furosemide 20 mg daily.' },
      },
    });
    expect(amended.status).toBe(200);
    expect(amended.body.content.plan).toBe('Furosemide 20 mg daily.');
    expect(amended.body.amendments).toHaveLength(1);
    expect(amended.body.amendments[0]).toMatchObject({
      reason: 'dose corrected',
      by: f.cardiologist.id,
      previous: { plan: 'Furosemide 40 mg daily; echo within 2 weeks.' },
    });
    const history = await server.call('GET', `/api/patients/${f.patientA.id}/consultations`, {
      token: tokens.cardio,
    });
    expect(history.body.items.map((c: { id: string }) => c.id)).toContain(consultationId);
  });

  it('keeps the chat transcript with author and time', async () => {
    const sent = await server.call('POST', `/api/consultations/${consultationId}/chat`, {
      token: tokens['doctor.a'],
      body: { text: 'المريضة تشكو من ضيق تنفس عند صعود السلم' },
    });
    expect(sent.status).toBe(201);
    const { body } = await server.call('GET', `/api/consultations/${consultationId}`, {
      token: tokens.cardio,
    });
    expect(body.chat.at(-1)).toMatchObject({ authorId: f.doctorA.id, authorRole: 'clinic_doctor' });
  });
});
