import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Icd10Catalog } from '../../icd10/Icd10Catalog.js';
import { createRecordsServices } from '../../RecordsServices.js';
import { cardiologyBooking, createFixtures, type Fixtures, tomorrowAt } from '../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';
import { serviceCaller } from '../../testing/serviceCallers.js';
import { consultationResources } from '../mapping/consultationResources.js';
import { demoVitalSigns } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { writeFullConsultation } from '../testing/writeFullConsultation.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { ConsultationGraphLoader } from './ConsultationGraphLoader.js';

/** The loader on the real store, over a consultation written through the service as the apps write it. */
describe('ConsultationGraphLoader', validatingSuite, () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  let loader: ConsultationGraphLoader;
  let consultationId: string;

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    loader = new ConsultationGraphLoader(server.models, Icd10Catalog.shared());
    consultationId = await writeFullConsultation(createRecordsServices(server), {
      doctor: serviceCaller(f.doctorA),
      specialist: serviceCaller(f.cardiologist),
      booking: cardiologyBooking(f, { start: tomorrowAt(9), end: tomorrowAt(9, 30) }),
    });
  });
  afterAll(() => server?.stop());

  it('loads the whole graph of a signed and amended consultation', async () => {
    const graph = await loader.load(consultationId);
    expect(graph).toBeDefined();
    expect(graph!.patient.id).toBe(f.patientA.id);
    expect(graph!.clinic.id).toBe(f.clinicA.id);
    expect(graph!.hospital?.id).toBe(f.hospital.id);
    expect(graph!.specialist?.id).toBe(f.cardiologist.id);
    expect(graph!.clinicDoctor?.id).toBe(f.doctorA.id);
    expect(graph!.consultation.vitalSigns).toHaveLength(demoVitalSigns.length);
    expect(graph!.consultation.vitalSigns[0]!.recordedBy).toBe(f.doctorA.id);
    expect(graph!.consultation.attachments[0]!.sha1).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(graph!.consultation.amendments).toHaveLength(1);
    expect(graph!.icd10('I10')?.ar).toBeTruthy();
  });

  it('reads five documents’ worth by _id only, whatever the store holds', async () => {
    const reads: [string, string, unknown][] = [];
    server.connection.set('debug', (collection: string, method: string, filter: unknown) => {
      reads.push([collection, method, filter]);
    });
    try {
      await loader.load(consultationId);
    } finally {
      server.connection.set('debug', false);
    }
    expect(reads.map(([collection, method]) => `${collection}.${method}`).sort()).toEqual(
      ['appointments.find', 'consultations.find', 'organizations.find', 'patients.find', 'users.find'].sort(),
    );
    for (const [, , filter] of reads) expect(Object.keys(filter as object)).toEqual(['_id']);
  });

  it('loads many graphs in the same five reads as one, in the order asked, skipping unknown ids', async () => {
    const reads: string[] = [];
    server.connection.set('debug', (collection: string, method: string) =>
      reads.push(`${collection}.${method}`),
    );
    let graphs: Awaited<ReturnType<typeof loader.loadMany>>;
    try {
      graphs = await loader.loadMany(['0123456789abcdef01234567', consultationId, 'not an id']);
    } finally {
      server.connection.set('debug', false);
    }
    expect(graphs.map((g) => g.consultation.id)).toEqual([consultationId]);
    expect(graphs[0]).toMatchObject({
      patient: { id: f.patientA.id },
      specialist: { id: f.cardiologist.id },
    });
    expect(reads).toHaveLength(5);
  });

  it('gives resources that are all valid R4, with 0 errors', async () => {
    const graph = await loader.load(consultationId);
    const resources = consultationResources(graph!, { recordsBaseUrl: '' });
    const types = new Set(resources.map((r) => r.resourceType));
    expect([...types].sort()).toEqual(
      [
        'Appointment',
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
    const errors = resources.flatMap((r: Resource) =>
      fhirValidationErrors(r).map((i) => `${r.resourceType} ${i.expression?.join()}: ${i.details?.text}`),
    );
    expect(errors).toEqual([]);
    const document = resources.find((r) => r.resourceType === 'DocumentReference');
    expect(JSON.stringify(document)).toContain(`"url":"/api/consultations/${consultationId}/attachments/`);
  });

  it('answers undefined for a consultation that does not exist or an id that is not one', async () => {
    expect(await loader.load('64b000000000000000000099')).toBeUndefined();
    expect(await loader.load('not-an-id')).toBeUndefined();
  });
});
