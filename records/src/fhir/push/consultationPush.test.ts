import type {
  Composition,
  Condition,
  Encounter,
  Provenance,
  Resource,
  ResourceType,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/AuditLog.js';
import { Icd10Catalog } from '../../icd10/Icd10Catalog.js';
import { capturedLogger } from '../../testing/capturedLogger.js';
import { type FhirTestServer, startFhirTestServer } from '../../testing/fhirTestServer.js';
import { createFixtures, type Fixtures, signIn } from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';
import { ConsultationGraphLoader } from '../load/ConsultationGraphLoader.js';
import { consultationResourceTypes } from '../testing/consultationResourceTypes.js';
import { signConsultationThroughApi } from '../testing/consultationThroughApi.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { FhirOutbox } from './FhirOutbox.js';
import { FhirPushWorker, type StoredOutboxItem } from './FhirPushWorker.js';
import { mappedConsultationBundle } from './mappedConsultationBundle.js';

describe('a realistic consultation pushed to a real FHIR server (Medplum’s router over HTTP)', () => {
  let fhir: FhirTestServer;
  let server: RecordsTestServer;
  let f: Fixtures;
  let worker: FhirPushWorker;
  const tokens: Record<string, string> = {};
  let consultationId = '';
  let signedVersion = 0;

  beforeAll(async () => {
    fhir = await startFhirTestServer();
    server = await startRecordsTestServer(undefined, undefined, {
      fhirOutbox: (models) =>
        new FhirOutbox(
          mappedConsultationBundle(new ConsultationGraphLoader(models, Icd10Catalog.shared()), () => ({
            recordsBaseUrl: server.baseUrl,
          })),
        ),
    });
    f = await createFixtures(server.models);
    for (const name of ['cardio', 'doctor.a']) tokens[name] = await signIn(server, name);
    worker = new FhirPushWorker({
      models: server.models,
      target: { url: fhir.baseUrl, headers: {} },
      logger: capturedLogger().logger,
      audit: new AuditLog(server.models.AuditEvent),
      backoff: { baseMs: 40, maxMs: 200 },
      timeoutMs: 10_000,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await fhir?.close();
  });

  async function outbox(): Promise<StoredOutboxItem[]> {
    const doc = await server.models.Consultation.findById(consultationId).select('+fhirOutbox').lean();
    return (doc?.fhirOutbox ?? []) as unknown as StoredOutboxItem[];
  }

  async function all<T extends Resource>(resourceType: ResourceType): Promise<T[]> {
    const found = await fhir.repo.search<T>({ resourceType: resourceType as T['resourceType'], count: 1000 });
    return (found.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  }

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const type of consultationResourceTypes) result[type] = await fhir.count(type);
    return result;
  }

  /** Every `reference` string anywhere in a resource. */
  function referencesIn(value: unknown, found: string[] = []): string[] {
    if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
    else if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value))
        if (key === 'reference' && typeof child === 'string') found.push(child);
        else referencesIn(child, found);
    return found;
  }

  /** Every resource on the server has 0 validation errors, and every reference it holds resolves there. */
  async function expectAllValidAndResolved(): Promise<void> {
    for (const type of consultationResourceTypes)
      for (const resource of await all(type)) {
        expect(fhirValidationErrors(resource), `${type}/${resource.id}`).toEqual([]);
        for (const reference of referencesIn(resource)) {
          expect(reference, `${type}/${resource.id}`).toMatch(/^[A-Z][A-Za-z]+\/[\w.-]+$/);
          await expect(fhir.repo.readReference({ reference }), reference).resolves.toBeTruthy();
        }
      }
  }

  it('sends a signed consultation once, every resource valid and every reference resolving on the server', async () => {
    const start = new Date(Date.now() + 3600_000);
    const appointment = await server.models.Appointment.create({
      kind: 'scheduled',
      clinicId: f.clinicA._id,
      patientId: f.patientA._id,
      specialty: 'cardiology',
      specialistId: f.cardiologist._id,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      reason: 'Raised blood sugar and headaches',
      status: 'in-progress',
      statusHistory: [{ status: 'in-progress', at: new Date() }],
      specialistJoinedAt: new Date(),
      createdBy: f.doctorA._id,
    });
    const signed = await signConsultationThroughApi(server.call, appointment.id as string, {
      clinicDoctor: tokens['doctor.a']!,
      specialist: tokens.cardio!,
    });
    consultationId = signed.id;
    signedVersion = signed.version;
    const posts = fhir.requests.length;
    await worker.drain();
    expect(await outbox()).toMatchObject([{ version: signedVersion, state: 'sent', attempts: 1 }]);
    expect(fhir.requests.length).toBe(posts + 1);

    expect(await counts()).toEqual({
      Organization: 2,
      Practitioner: 2,
      PractitionerRole: 2,
      Patient: 1,
      Appointment: 1,
      Encounter: 1,
      Observation: 8,
      Condition: 2,
      Composition: 1,
      Provenance: 1,
      ServiceRequest: 1,
      DocumentReference: 1,
      Communication: 2,
    });
    await expectAllValidAndResolved();
    const [document] = await all<Resource & { content: { attachment: { url: string } }[] }>(
      'DocumentReference',
    );
    expect(document?.content[0]?.attachment.url).toMatch(
      new RegExp(`^${server.baseUrl}/api/consultations/${consultationId}/attachments/`),
    );
  });

  it('creates nothing twice when the same signature is sent again', async () => {
    const before = await counts();
    const doc = await server.models.Consultation.findById(consultationId).lean();
    const bundle = await mappedConsultationBundle(
      new ConsultationGraphLoader(server.models, Icd10Catalog.shared()),
      () => ({ recordsBaseUrl: server.baseUrl }),
    )(doc as never);
    await server.models.Consultation.collection.updateOne(
      { _id: doc?._id },
      {
        $set: {
          'fhirOutbox.0.state': 'pending',
          'fhirOutbox.0.bundle': JSON.stringify(bundle),
          fhirPushDueAt: new Date(),
        },
      },
    );
    await worker.drain();
    expect(await outbox()).toMatchObject([{ state: 'sent', attempts: 2 }]);
    expect(await counts()).toEqual(before);
  });

  it('pushes an amendment: Composition v2 replacing v1, a Provenance each, the withdrawn diagnosis entered-in-error, the Encounter updated, nothing else twice', async () => {
    const before = await counts();
    const [encounterBefore] = await all<Encounter>('Encounter');
    const amended = await server.call('POST', `/api/consultations/${consultationId}/amendments`, {
      token: tokens.cardio,
      body: {
        version: signedVersion,
        reason: 'Hypertension not confirmed: one raised reading only',
        changes: {
          diagnoses: [{ code: 'E11.9', text: 'Type 2 diabetes, newly diagnosed', kind: 'primary' }],
          reasonForVisit: 'Raised blood sugar',
        },
      },
    });
    expect(amended.status).toBe(200);
    await worker.drain();
    expect((await outbox()).map((i) => i.state)).toEqual(['sent', 'sent']);

    expect(await counts()).toEqual({ ...before, Composition: 2, Provenance: 2 });
    await expectAllValidAndResolved();

    const compositions = await all<Composition>('Composition');
    const byVersion = (n: number) =>
      compositions.find((c) => c.identifier?.value === `${consultationId}-v${n}`);
    const [v1, v2] = [byVersion(1), byVersion(2)];
    expect(v1?.status).toBe('final');
    expect(v2?.status).toBe('amended');
    expect(v2?.relatesTo).toEqual([
      expect.objectContaining({ code: 'replaces', targetReference: { reference: `Composition/${v1?.id}` } }),
    ]);
    const provenances = await all<Provenance>('Provenance');
    expect(provenances.map((p) => p.target[0]?.reference).sort()).toEqual(
      [`Composition/${v1?.id}`, `Composition/${v2?.id}`].sort(),
    );

    const conditions = await all<Condition>('Condition');
    const status = (code: string) =>
      conditions.find((c) => c.code?.coding?.[0]?.code === code)?.verificationStatus?.coding?.[0]?.code;
    expect(status('I10')).toBe('entered-in-error');
    expect(status('E11.9')).toBe('confirmed');

    const [encounter] = await all<Encounter>('Encounter');
    expect(encounter?.id).toBe(encounterBefore?.id);
    expect(encounter?.reasonCode?.[0]?.text).toBe('Raised blood sugar');
    expect(encounter?.meta?.versionId).not.toBe(encounterBefore?.meta?.versionId);
  });
});
