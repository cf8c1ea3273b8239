import type { Composition, Condition, Encounter, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordsServices } from '../../RecordsServices.js';
import { seedDemoData } from '../../seed/seedDemoData.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';
import { serviceCaller } from '../../testing/serviceCallers.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { registerSystemClient, systemToken } from '../testing/systemClientTesting.js';
import { writeFullConsultation } from '../testing/writeFullConsultation.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';

const prefer = { prefer: 'respond-async', accept: 'application/fhir+json' };

/**
 * The production Bulk Data export (every mapped type from the records store) over real HTTP, on the seeded demo
 * data plus a consultation signed by a demo specialist: a registered system client's token, kick-off, status
 * with its progress, manifest, every file, and a cancel.
 */
describe('Bulk Data export of the demo data', validatingSuite, () => {
  let server: RecordsTestServer;
  let token: string;
  let consultationId: string;

  beforeAll(async () => {
    // Small chunks: each file is written in several, as a big export's would be.
    server = await startRecordsTestServer(undefined, undefined, { runner: { chunkBytes: 16 * 1024 } });
    const accounts = await seedDemoData(server.models);
    const admin = accounts.find((a) => a.role === 'administrator')!;
    const login = await server.call('POST', '/api/auth/login', {
      body: { username: admin.username, password: admin.password },
    });
    expect(login.status).toBe(200);
    const client = await registerSystemClient(server, login.body.accessToken, ['system/*.read']);
    token = await systemToken(server, client, 'system/*.read');

    const specialistDoc = await server.models.User.findOne({ username: 'dr.samir' }).lean();
    const appointment = await server.models.Appointment.findOne({ specialistId: specialistDoc!._id }).lean();
    const doctorDoc = await server.models.User.findOne({
      role: 'clinic_doctor',
      organizationId: appointment!.clinicId,
    }).lean();
    const asCaller = (doc: NonNullable<typeof specialistDoc>) =>
      serviceCaller({ id: doc._id.toHexString(), role: doc.role, organizationId: doc.organizationId });
    consultationId = await writeFullConsultation(createRecordsServices(server), {
      doctor: asCaller(doctorDoc!),
      specialist: asCaller(specialistDoc!),
      booking: { appointmentId: appointment!._id.toHexString() },
    });
  });
  afterAll(() => server?.stop());

  const relative = (url: string) => url.slice(server.baseUrl.length);

  it('exports every type, each line valid FHIR, with the signed consultation in it', async () => {
    const kickOff = await server.call('GET', '/fhir/$export', { token, headers: prefer });
    expect(kickOff.status).toBe(202);
    const statusUrl = relative(kickOff.headers.get('content-location')!);

    let manifest: { output: { type: string; url: string; count: number }[]; error: unknown[] } | undefined;
    const progress: string[] = [];
    for (let i = 0; i < 600 && !manifest; i += 1) {
      const status = await server.call('GET', statusUrl, { token });
      if (status.status === 200) manifest = status.body;
      else {
        expect(status.status).toBe(202);
        progress.push(status.headers.get('x-progress') ?? '');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(manifest, 'the export finished').toBeDefined();
    for (const line of progress) expect(line).toMatch(/^\d+\/\d+ resources \(\d+%\)$/);
    expect(manifest!.error).toEqual([]);
    expect(manifest!.output.map((o) => o.type).sort()).toEqual(
      [
        'Appointment',
        'AuditEvent',
        'Communication',
        'Composition',
        'Condition',
        'DocumentReference',
        'Encounter',
        'Observation',
        'Organization',
        'Patient',
        'Practitioner',
        'PractitionerRole',
        'Provenance',
        'ServiceRequest',
      ].sort(),
    );

    const files = new Map<string, Resource[]>();
    for (const { type, url, count } of manifest!.output) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+ndjson/);
      const lines = (await res.text()).split('\n').filter((line) => line !== '');
      expect(lines, type).toHaveLength(count);
      const resources = lines.map((line) => JSON.parse(line) as Resource);
      for (const resource of resources) {
        expect(resource.resourceType).toBe(type);
        expect(fhirValidationErrors(resource), `${type}/${resource.id}`).toEqual([]);
      }
      files.set(type, resources);
    }

    const ofConsultation = <T extends Resource>(type: string, test: (r: T) => boolean) =>
      (files.get(type) as T[]).filter(test);
    const encounter = ofConsultation<Encounter>('Encounter', (e) => e.id === consultationId);
    expect(encounter).toHaveLength(1);
    const encounterRef = `Encounter/${consultationId}`;
    expect(
      ofConsultation<Observation>('Observation', (o) => o.encounter?.reference === encounterRef),
    ).toHaveLength(8);
    const conditions = ofConsultation<Condition>('Condition', (c) => c.encounter?.reference === encounterRef);
    expect(conditions.map((c) => c.code?.coding?.[0]?.code).sort()).toEqual(['E11.9', 'I10']);
    const notes = ofConsultation<Composition>('Composition', (c) => c.encounter?.reference === encounterRef);
    expect(notes.map((c) => c.status).sort()).toEqual(['amended', 'final']);
    // The demo register is all there: every seeded patient once.
    expect(files.get('Patient')).toHaveLength(await server.models.Patient.countDocuments());
  });

  it('exports the patient compartment at Patient/$export, and cancels a running export', async () => {
    const kickOff = await server.call('GET', '/fhir/Patient/$export?_type=Patient,Encounter', {
      token,
      headers: prefer,
    });
    expect(kickOff.status).toBe(202);
    const statusUrl = relative(kickOff.headers.get('content-location')!);
    const cancelled = await server.call('DELETE', statusUrl, { token });
    expect(cancelled.status).toBe(202);
    const after = await server.call('GET', statusUrl, { token });
    expect(after.status).toBe(404);
    expect(after.body.resourceType ?? JSON.parse(after.body).resourceType).toBe('OperationOutcome');
    const jobId = statusUrl.split('/').pop();
    // The runner may still be writing when the cancel lands: its last chunk is dropped when it stops.
    for (let i = 0; i < 100 && (await server.models.BulkExportChunk.countDocuments({ jobId })) > 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await server.models.BulkExportChunk.countDocuments({ jobId })).toBe(0);
    const refused = await server.call('GET', '/fhir/Patient/$export?_type=AuditEvent', {
      token,
      headers: prefer,
    });
    expect(refused.status).toBe(400);
  });
});
