import type { Composition, Condition, Provenance, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { consultationResources } from './consultationResources.js';

const mapping = { recordsBaseUrl: 'https://records.example.org' };
const errorsOf = (resource: Resource) =>
  fhirValidationErrors(resource).map(
    (i) => `${resource.resourceType}/${resource.id} ${i.expression?.join()}: ${i.details?.text}`,
  );

describe('consultationResources', validatingSuite, () => {
  it('gives every resource type of a full consultation, each valid R4 with 0 errors', () => {
    const resources = consultationResources(demoConsultationGraph(), mapping);
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
    expect(counts).toEqual({
      Organization: 2,
      Practitioner: 2,
      PractitionerRole: 2,
      Patient: 1,
      Appointment: 1,
      Encounter: 1,
      Observation: 8,
      Condition: 3,
      Composition: 2,
      Provenance: 2,
      ServiceRequest: 1,
      DocumentReference: 1,
      Communication: 2,
    });
    expect(resources.flatMap(errorsOf)).toEqual([]);
  });

  it('keeps a diagnosis the amendment took out, as entered-in-error and without a clinical status', () => {
    const conditions = consultationResources(demoConsultationGraph(), mapping).filter(
      (r): r is Condition => r.resourceType === 'Condition',
    );
    const withdrawn = conditions.find((c) => c.code?.coding?.[0]?.code === 'J06.9')!;
    expect(withdrawn.verificationStatus?.coding?.[0]?.code).toBe('entered-in-error');
    expect(withdrawn.clinicalStatus).toBeUndefined();
    const kept = conditions.find((c) => c.code?.coding?.[0]?.code === 'I10')!;
    expect(kept.verificationStatus?.coding?.[0]?.code).toBe('confirmed');
  });

  it('keeps the signed note as version 1 and the amendment as version 2 that replaces it, each with its Provenance', () => {
    const resources = consultationResources(demoConsultationGraph(), mapping);
    const [signed, amended] = resources.filter((r): r is Composition => r.resourceType === 'Composition');
    expect(signed!.status).toBe('final');
    expect(signed!.section?.find((s) => s.title === 'Diagnoses')?.text?.div).toContain('J06.9');
    expect(signed!.section?.find((s) => s.title === 'Referral')).toBeUndefined();
    expect(amended!.status).toBe('amended');
    expect(amended!.relatesTo).toEqual([
      { code: 'replaces', targetReference: { reference: `Composition/${signed!.id}` } },
    ]);
    expect(amended!.section?.find((s) => s.title === 'Referral')?.entry?.[0]?.reference).toMatch(
      /^ServiceRequest\//,
    );
    const provenances = resources.filter((r): r is Provenance => r.resourceType === 'Provenance');
    expect(provenances.map((p) => [p.target[0]?.reference, p.activity?.text, p.recorded])).toEqual([
      [`Composition/${signed!.id}`, 'signed', '2026-03-02T08:45:00.000Z'],
      [`Composition/${amended!.id}`, 'amended', '2026-03-03T10:00:00.000Z'],
    ]);
    expect(provenances[1]!.reason?.[0]?.text).toMatch(/Repeated BP/);
  });

  it('writes the referral the amendment added as an active ServiceRequest, and revokes one an amendment took out', () => {
    const referral = consultationResources(demoConsultationGraph(), mapping).find(
      (r): r is ServiceRequest => r.resourceType === 'ServiceRequest',
    )!;
    expect(referral.status).toBe('active');
    const graph = demoConsultationGraph();
    const earlier = graph.consultation.content;
    graph.consultation.amendments.push({
      version: 6,
      at: new Date('2026-03-04T00:00:00Z'),
      by: graph.specialist!.id,
      reason: 'No referral needed',
      previous: earlier,
    });
    graph.consultation.content = { ...earlier, referral: null };
    const revoked = consultationResources(graph, mapping).filter((r) => r.resourceType === 'ServiceRequest');
    expect(revoked.map((r) => (r as ServiceRequest).status)).toEqual(['revoked']);
    expect(consultationResources(graph, mapping).flatMap(errorsOf)).toEqual([]);
  });

  it('maps a draft as a preliminary note with provisional diagnoses and no Provenance, still valid', () => {
    const graph = demoConsultationGraph();
    graph.consultation = {
      ...graph.consultation,
      status: 'draft',
      signedAt: undefined,
      signedBy: undefined,
      amendments: [],
    };
    const resources = consultationResources(graph, mapping);
    expect(resources.filter((r) => r.resourceType === 'Provenance')).toEqual([]);
    expect(
      resources.filter((r) => r.resourceType === 'Composition').map((c) => (c as Composition).status),
    ).toEqual(['preliminary']);
    expect(resources.flatMap(errorsOf)).toEqual([]);
  });
});
