import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Icd10Catalog } from '../../../icd10/Icd10Catalog.js';
import { createRecordsServices, type RecordsServices } from '../../../RecordsServices.js';
import { cardiologyBooking, createFixtures, type Fixtures, tomorrowAt } from '../../../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../../testing/recordsTestServer.js';
import { serviceCaller } from '../../../testing/serviceCallers.js';
import { ConsultationGraphLoader } from '../../load/ConsultationGraphLoader.js';
import { consultationResources } from '../../mapping/consultationResources.js';
import { consultationClinicalTypes } from '../../testing/consultationResourceTypes.js';
import { validatingSuite } from '../../testing/fhirTestOptions.js';
import { writeFullConsultation } from '../../testing/writeFullConsultation.js';
import { fhirValidationErrors } from '../../validation/validateFhir.js';
import { BulkSourceTable } from '../BulkSourceTable.js';
import type { BulkTypeSource } from '../BulkTypeSource.js';
import { ConsultationGraphBatches } from './ConsultationGraphBatches.js';
import { consultationSources } from './consultationSources.js';
import { recordSources } from './recordSources.js';

const mapping = { recordsBaseUrl: 'https://records.example.org' };
const consultationTypes: string[] = consultationClinicalTypes;
/** Resources validated per type: enough to meet each shape the data has, few enough for a busy machine. */
const validatedPerType = 25;

async function all(source: BulkTypeSource, since?: Date, signal = new AbortController().signal) {
  const out: Resource[] = [];
  for await (const resource of source.stream(since, signal)) out.push(resource);
  return out;
}
const byTypeAndId = (a: Resource, b: Resource) =>
  `${a.resourceType}/${a.id}`.localeCompare(`${b.resourceType}/${b.id}`);

/** The production sources on the real store, over consultations written through the services. */
describe('the records bulk sources', validatingSuite, () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  let services: RecordsServices;
  let sources: BulkSourceTable;
  const consultationIds: string[] = [];

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    services = createRecordsServices(server);
    const doctor = serviceCaller(f.doctorA);
    const specialist = serviceCaller(f.cardiologist);
    // Batches of two: four consultations make two batches, so the reads per batch can be told from per record.
    const batches = new ConsultationGraphBatches(server.models, Icd10Catalog.shared(), 2);
    sources = new BulkSourceTable([
      ...recordSources(server.models),
      ...consultationSources(server.models, batches, mapping),
    ]);
    for (const [hour, draftOnly] of [
      [9, false],
      [10, false],
      [11, false],
      [12, true],
    ] as const) {
      const booking = cardiologyBooking(f, { start: tomorrowAt(hour), end: tomorrowAt(hour, 30) });
      consultationIds.push(await writeFullConsultation(services, { doctor, specialist, booking, draftOnly }));
    }
  });
  afterAll(() => server?.stop());

  const source = (type: string) => sources.get(type)!;

  it('streams every type the mappers make, and each resource validates against R4 and its profiles', async () => {
    const types = sources.types('system');
    expect(types.sort()).toEqual(
      [
        ...consultationTypes,
        'Patient',
        'Appointment',
        'Organization',
        'Practitioner',
        'PractitionerRole',
        'AuditEvent',
      ].sort(),
    );
    for (const type of types) {
      const resources = await all(source(type));
      expect(resources.length, type).toBeGreaterThan(0);
      for (const resource of resources) expect(resource.resourceType).toBe(type);
      for (const resource of resources.slice(0, validatedPerType)) {
        expect(fhirValidationErrors(resource), `${type}/${resource.id}`).toEqual([]);
      }
    }
  });

  it("gives each consultation's resources exactly as the loader's graph does", async () => {
    const loader = new ConsultationGraphLoader(server.models, Icd10Catalog.shared());
    const expected: Resource[] = [];
    for (const id of consultationIds) {
      const graph = await loader.load(id);
      expected.push(
        ...consultationResources(graph!, mapping).filter((r) => consultationTypes.includes(r.resourceType)),
      );
    }
    const streamed: Resource[] = [];
    for (const type of consultationTypes) streamed.push(...(await all(source(type))));
    expect(streamed.sort(byTypeAndId)).toEqual(expected.sort(byTypeAndId));
    expect(streamed.filter((r) => r.resourceType === 'Encounter')).toHaveLength(consultationIds.length);
  });

  it('reads the graphs a batch at a time, not one consultation at a time', async () => {
    const reads: string[] = [];
    server.connection.set('debug', (collection: string, method: string) => {
      reads.push(`${collection}.${method}`);
    });
    try {
      await all(source('Encounter'));
    } finally {
      server.connection.set('debug', false);
    }
    const count = (what: string) => reads.filter((read) => read === what).length;
    // Four consultations in batches of two: two reads each of appointments and patients, not four.
    expect(count('appointments.find')).toBe(2);
    expect(count('patients.find')).toBe(2);
    // The people and organizations are the same in both batches: read once for the whole export.
    expect(count('users.find')).toBe(1);
    expect(count('organizations.find')).toBe(1);
  });

  it('exports with _since only what changed since, by updatedAt', async () => {
    const since = new Date(Date.now() + 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await all(source('Encounter'), since)).toEqual([]);
    expect(await all(source('Patient'), since)).toEqual([]);
    expect(await source('Encounter').estimate(since)).toBe(0);
    const draftId = consultationIds[3]!;
    await services.consultations.appendChat(serviceCaller(f.doctorA), draftId, 'Still waiting.');
    const encounters = await all(source('Encounter'), since);
    expect(encounters.map((e) => e.id)).toEqual([draftId]);
    expect(await all(source('Communication'), since)).toHaveLength(3);
    expect(await source('Encounter').estimate(since)).toBe(1);
    // The audit trail is never updated: its _since is when the event happened (the chat's own audit).
    const audits = await all(source('AuditEvent'), since);
    expect(audits.length).toBeGreaterThan(0);
  });

  it('estimates each type from a count and a sample, near the true number', async () => {
    for (const type of ['Observation', 'Composition', 'Condition', 'Patient']) {
      const actual = (await all(source(type))).length;
      const estimate = await source(type).estimate(undefined);
      expect(Math.abs(estimate - actual), type).toBeLessThanOrEqual(Math.ceil(actual / 2));
    }
  });

  it('stops when the export is cancelled', async () => {
    const controller = new AbortController();
    const seen: Resource[] = [];
    for await (const resource of source('Observation').stream(undefined, controller.signal)) {
      seen.push(resource);
      controller.abort();
    }
    expect(seen).toHaveLength(1);
  });

  it('puts the patient compartment in Patient/$export, not the network nor the audit trail', () => {
    expect(sources.types('patient').sort()).toEqual([...consultationTypes, 'Patient', 'Appointment'].sort());
  });
});
