import type { Encounter } from '@medplum/fhirtypes';
import { Types } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/AuditLog.js';
import { Icd10Catalog } from '../../icd10/Icd10Catalog.js';
import type { Models } from '../../models/registerModels.js';
import { capturedLogger } from '../../testing/capturedLogger.js';
import { type FhirTestServer, startFhirTestServer } from '../../testing/fhirTestServer.js';
import { createFixtures, type Fixtures, signIn } from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';
import { ConsultationGraphLoader } from '../load/ConsultationGraphLoader.js';
import { FhirOutbox } from './FhirOutbox.js';
import { FhirPushWorker, type StoredOutboxItem } from './FhirPushWorker.js';
import { mappedConsultationBundle } from './mappedConsultationBundle.js';

const refusal = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', details: { text: 'Encounter.period is required here' } }],
};

describe('the push to the hospital’s FHIR server (a real FHIR server: Medplum’s router over HTTP)', () => {
  let fhir: FhirTestServer;
  let server: RecordsTestServer;
  let f: Fixtures;
  const tokens: Record<string, string> = {};
  const log = capturedLogger();
  let worker: FhirPushWorker;
  let minute = 0;
  /** The production builder; attachment links point at this test's records server. */
  const bundleOf = (models: Models) =>
    mappedConsultationBundle(new ConsultationGraphLoader(models, Icd10Catalog.shared()), () => ({
      recordsBaseUrl: server.baseUrl,
    }));

  const newWorker = () =>
    new FhirPushWorker({
      models: server.models,
      target: { url: fhir.baseUrl, headers: { authorization: 'Bearer push-token' } },
      logger: log.logger,
      audit: new AuditLog(server.models.AuditEvent),
      backoff: { baseMs: 40, maxMs: 200 },
      maxAttempts: 5,
      timeoutMs: 5_000,
    });

  beforeAll(async () => {
    fhir = await startFhirTestServer();
    server = await startRecordsTestServer(undefined, undefined, {
      fhirOutbox: (models) => new FhirOutbox(bundleOf(models)),
    });
    f = await createFixtures(server.models);
    for (const name of ['cardio', 'admin', 'doctor.a']) tokens[name] = await signIn(server, name);
    worker = newWorker();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await fhir?.close();
  });
  beforeEach(() => {
    fhir.intercept(undefined);
  });

  /** A draft with findings, on its own appointment with the cardiologist, for patient A (or B). */
  async function draft(patient: 'A' | 'B' = 'A', reasonForVisit = 'chest pain'): Promise<string> {
    minute += 1;
    const start = new Date(Date.now() + 24 * 3600_000 + minute * 60_000);
    const { clinic, who } =
      patient === 'A' ? { clinic: f.clinicA, who: f.patientA } : { clinic: f.clinicB, who: f.patientB };
    const appointment = await server.models.Appointment.create({
      kind: 'scheduled',
      clinicId: clinic._id,
      patientId: who._id,
      specialty: 'cardiology',
      specialistId: f.cardiologist._id,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      reason: reasonForVisit,
      status: 'in-progress',
      createdBy: patient === 'A' ? f.doctorA._id : f.doctorB._id,
    });
    const consultation = await server.models.Consultation.create({
      appointmentId: appointment._id,
      patientId: who._id,
      clinicId: clinic._id,
      specialistId: f.cardiologist._id as Types.ObjectId,
      content: { reasonForVisit, findings: 'sinus rhythm' },
    });
    return consultation.id as string;
  }

  async function sign(id: string): Promise<number> {
    const { body } = await server.call('GET', `/api/consultations/${id}`, { token: tokens.cardio });
    const signed = await server.call('POST', `/api/consultations/${id}/sign`, {
      token: tokens.cardio,
      body: { version: body.version },
    });
    expect(signed.status).toBe(200);
    return signed.body.version as number;
  }

  async function outbox(id: string): Promise<StoredOutboxItem[]> {
    const doc = await server.models.Consultation.findById(id).select('+fhirOutbox +fhirPushDueAt').lean();
    return (doc?.fhirOutbox ?? []) as unknown as StoredOutboxItem[];
  }

  async function encountersOf(id: string): Promise<Encounter[]> {
    const found = await fhir.repo.search<Encounter>({
      resourceType: 'Encounter',
      filters: [{ code: 'identifier', operator: 'eq' as never, value: `urn:telemed:id:encounter|${id}` }],
    });
    return (found.entry ?? []).map((e) => e.resource as Encounter);
  }

  /** Drains until `done` holds, the backoff's waits included (a few hundred ms at most here). */
  async function drainUntil(done: () => Promise<boolean>, within = 20_000): Promise<void> {
    const until = Date.now() + within;
    while (!(await done())) {
      if (Date.now() > until) throw new Error('the push did not get there in time');
      await worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  it('queues the bundle in the signature’s own update, sends it once, and never shows it in the record', async () => {
    const id = await draft();
    const version = await sign(id);
    const [queued] = await outbox(id);
    expect(queued).toMatchObject({ version, state: 'pending', attempts: 0 });
    expect(JSON.parse(queued?.bundle ?? '{}')).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    const read = await server.call('GET', `/api/consultations/${id}`, { token: tokens.cardio });
    expect(Object.keys(read.body)).not.toContain('fhirOutbox');
    expect(JSON.stringify(read.body)).not.toContain('fhirPush');

    const posts = fhir.requests.length;
    await worker.drain();
    const [sent] = await outbox(id);
    expect(sent).toMatchObject({ version, state: 'sent', attempts: 1, response: { status: 200 } });
    // One answer per resource: organizations, practitioners and roles, patient, appointment, encounter, note…
    expect(sent?.response?.entries).toHaveLength(JSON.parse(queued?.bundle ?? '{}').entry.length);
    expect(sent?.bundle).toBeUndefined();
    expect(fhir.requests.slice(posts)).toEqual([
      { method: 'POST', path: '/', authorization: 'Bearer push-token' },
    ]);
    expect(await encountersOf(id)).toHaveLength(1);
    expect(log.lines.some((l) => l.msg === 'fhir push: sent' && l.consultationId === id)).toBe(true);
    const exported = await server.models.AuditEvent.findOne({ action: 'export', resourceIds: id }).lean();
    expect(exported).toMatchObject({
      via: 'worker',
      outcome: 'success',
      reason: `fhir push of version ${version}`,
    });
    // Nothing left to do for it: a further drain sends nothing.
    await worker.drain();
    expect(fhir.requests.length).toBe(posts + 1);
  });

  it('creates nothing twice when the same item is sent twice (conditional create and update)', async () => {
    const id = await draft();
    await sign(id);
    await worker.drain();
    const patients = await fhir.count('Patient');
    const encounters = await fhir.count('Encounter');
    // As after a crash between the send and its record: the item is pending again, with its bundle.
    const bundle = JSON.stringify(
      await bundleOf(server.models)((await server.models.Consultation.findById(id).lean()) as never),
    );
    await server.models.Consultation.collection.updateOne(
      { _id: (await server.models.Consultation.findById(id, { _id: 1 }).lean())?._id },
      { $set: { 'fhirOutbox.0.state': 'pending', 'fhirOutbox.0.bundle': bundle, fhirPushDueAt: new Date() } },
    );
    await worker.drain();
    expect((await outbox(id))[0]).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await fhir.count('Patient')).toBe(patients);
    expect(await fhir.count('Encounter')).toBe(encounters);
    expect(await encountersOf(id)).toHaveLength(1);
  });

  it('keeps an item while the server is down, retries with backoff, and sends it once the server is back', async () => {
    await fhir.close();
    try {
      const id = await draft('B');
      await sign(id);
      await worker.drain();
      const [waiting] = await outbox(id);
      expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
      expect(waiting?.lastError).toMatch(/no answer from the FHIR server/);
      expect(waiting?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now() - 1000);
      await drainUntil(async () => ((await outbox(id))[0]?.attempts ?? 0) >= 2);
      expect((await outbox(id))[0]?.state).toBe('pending');
      await fhir.listen();
      await drainUntil(async () => (await outbox(id))[0]?.state === 'sent');
      expect(await encountersOf(id)).toHaveLength(1);
      expect(log.lines.some((l) => l.msg === 'fhir push: will retry' && l.consultationId === id)).toBe(true);
    } finally {
      await fhir.listen();
    }
  });

  it('marks an item failed with the server’s OperationOutcome, shows it to administrators, and retries it on demand', async () => {
    fhir.intercept(({ method }) => (method === 'POST' ? { status: 422, body: refusal } : undefined));
    const id = await draft();
    const version = await sign(id);
    await worker.drain();
    const [failed] = await outbox(id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(JSON.parse(failed?.outcome ?? '{}')).toEqual(refusal);
    expect(failed?.lastError).toBe('HTTP 422: Encounter.period is required here');
    expect(await encountersOf(id)).toHaveLength(0);

    const listed = await server.call('GET', '/api/fhir-push?state=failed&limit=100', { token: tokens.admin });
    expect(listed.status).toBe(200);
    expect(listed.body.enabled).toBe(true);
    const item = listed.body.items.find((i: { consultationId: string }) => i.consultationId === id);
    expect(item).toEqual({
      consultationId: id,
      version,
      state: 'failed',
      attempts: 1,
      queuedAt: expect.any(String),
      lastError: 'HTTP 422: Encounter.period is required here',
    });
    expect(JSON.stringify(listed.body)).not.toContain('sinus rhythm');
    expect(listed.body.items.every((i: { state: string }) => i.state === 'failed')).toBe(true);
    expect(
      await server.models.AuditEvent.exists({ resourceType: 'fhir-push', action: 'read' }),
    ).not.toBeNull();
    const doctor = await server.call('GET', '/api/fhir-push', { token: tokens.cardio });
    expect(doctor.status).toBe(403);

    fhir.intercept(undefined);
    const retried = await server.call('POST', `/api/fhir-push/${id}/${version}/retry`, {
      token: tokens.admin,
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ state: 'pending', attempts: 0 });
    const again = await server.call('POST', `/api/fhir-push/${id}/${version}/retry`, { token: tokens.admin });
    expect(again.status).toBe(422);
    await worker.drain();
    expect((await outbox(id))[0]).toMatchObject({ state: 'sent' });
    expect(await encountersOf(id)).toHaveLength(1);
  });

  it('signs even when the bundle cannot be built, and shows the failed item instead', async () => {
    const id = await draft();
    // The builder reads the patient: one that is gone (as a broken record would have it) makes it throw.
    await server.models.Consultation.collection.updateOne(
      { _id: new Types.ObjectId(id) },
      { $set: { patientId: new Types.ObjectId() } },
    );
    await sign(id);
    const [failed] = await outbox(id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 0 });
    expect(failed?.lastError).toMatch(/^the bundle could not be built: /);
    const retried = await server.call('POST', `/api/fhir-push/${id}/${failed?.version}/retry`, {
      token: tokens.admin,
    });
    expect(retried.status).toBe(422);
    expect(retried.body.error.message).toContain('could not be built');
  });

  it('signs even when the bundle is not valid FHIR, and shows the failed item with the validator’s issues', async () => {
    const id = await draft('B');
    // A birth date the store took in another format (an old import, say): Patient.birthDate must be a FHIR date.
    await server.models.Patient.collection.updateOne(
      { _id: f.patientB._id },
      { $set: { birthDate: '30/01/1975' } },
    );
    try {
      const version = await sign(id);
      const [failed] = await outbox(id);
      expect(failed).toMatchObject({ version, state: 'failed', attempts: 0 });
      expect(failed?.bundle).toBeUndefined();
      expect(failed?.lastError).toMatch(
        /^the bundle is not valid FHIR R4: Patient\/[0-9a-f]{24} \(Patient\.birthDate\): Invalid date format/,
      );
      const outcome = JSON.parse(failed?.outcome ?? '{}');
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue.length).toBeGreaterThan(0);
      expect(outcome.issue.every((i: { severity: string }) => ['error', 'fatal'].includes(i.severity))).toBe(
        true,
      );
      const posts = fhir.requests.length;
      await worker.drain();
      expect(fhir.requests.length).toBe(posts);
      const listed = await server.call('GET', '/api/fhir-push?state=failed&limit=100', {
        token: tokens.admin,
      });
      const item = listed.body.items.find((i: { consultationId: string }) => i.consultationId === id);
      expect(item?.lastError).toBe(failed?.lastError);
    } finally {
      await server.models.Patient.collection.updateOne(
        { _id: f.patientB._id },
        { $set: { birthDate: '1975-01-30' } },
      );
    }
  });

  it('fails an item after the last attempt, with why', async () => {
    fhir.intercept(() => ({
      status: 503,
      body: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'transient', diagnostics: 'maintenance' }],
      },
    }));
    const id = await draft();
    await sign(id);
    await drainUntil(async () => (await outbox(id))[0]?.state === 'failed');
    expect((await outbox(id))[0]).toMatchObject({
      state: 'failed',
      attempts: 5,
      lastError: 'HTTP 503: maintenance',
    });
  });

  it('pushes an amendment as a second item, after the signature’s, with the updated resources', async () => {
    await fhir.close();
    let id: string;
    try {
      id = await draft('A', 'palpitations');
      const signedVersion = await sign(id);
      await worker.drain();
      const amended = await server.call('POST', `/api/consultations/${id}/amendments`, {
        token: tokens.cardio,
        body: { version: signedVersion, reason: 'reason corrected', changes: { reasonForVisit: 'syncope' } },
      });
      expect(amended.status).toBe(200);
      const items = await outbox(id);
      expect(items.map((i) => [i.version, i.state])).toEqual([
        [signedVersion, 'pending'],
        [amended.body.version, 'pending'],
      ]);
    } finally {
      await fhir.listen();
    }
    await drainUntil(async () => (await outbox(id)).every((i) => i.state === 'sent'));
    const [first, second] = await outbox(id);
    expect(first?.sentAt?.getTime()).toBeLessThanOrEqual(second?.sentAt?.getTime() ?? 0);
    const encounters = await encountersOf(id);
    expect(encounters).toHaveLength(1);
    expect(encounters[0]?.reasonCode?.[0]?.text).toBe('syncope');
  });

  it('keeps an amendment queued while its signature was being sent (the release sees the outbox grow)', async () => {
    const id = await draft();
    const signedVersion = await sign(id);
    let amendedVersion = 0;
    fhir.intercept(async () => {
      fhir.intercept(undefined);
      const amended = await server.call('POST', `/api/consultations/${id}/amendments`, {
        token: tokens.cardio,
        body: { version: signedVersion, reason: 'while sending', changes: { reasonForVisit: 'dyspnoea' } },
      });
      amendedVersion = amended.body.version;
      return undefined;
    });
    await worker.drain(1);
    expect((await outbox(id)).map((i) => [i.version, i.state])).toEqual([
      [signedVersion, 'sent'],
      [amendedVersion, 'pending'],
    ]);
    await worker.drain();
    expect((await outbox(id)).map((i) => i.state)).toEqual(['sent', 'sent']);
    expect((await encountersOf(id))[0]?.reasonCode?.[0]?.text).toBe('dyspnoea');
  });

  it('never lets two workers send the same item (the claim is a lease)', async () => {
    const ids = [await draft(), await draft('B'), await draft()];
    for (const id of ids) await sign(id);
    const posts = fhir.requests.filter((r) => r.method === 'POST').length;
    const other = newWorker();
    await Promise.all([worker.drain(), other.drain(), worker.drain()]);
    for (const id of ids) expect((await outbox(id))[0]).toMatchObject({ state: 'sent', attempts: 1 });
    expect(fhir.requests.filter((r) => r.method === 'POST').length).toBe(posts + ids.length);
  });
});
