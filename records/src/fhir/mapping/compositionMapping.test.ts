import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapCompositions, xhtml } from './compositionMapping.js';
import { mapProvenances } from './provenanceMapping.js';
import { mapReferral } from './referralMapping.js';

describe('mapCompositions, mapProvenances and mapReferral', validatingSuite, () => {
  it('writes a consult note (LOINC 11488-4) with a section per part', () => {
    const amended = mapCompositions(demoConsultationGraph())[1]!;
    expect(amended.type.coding?.[0]?.code).toBe('11488-4');
    expect(amended.section?.map((s) => s.title)).toEqual([
      'Reason for visit',
      'History',
      'Vital signs',
      'Findings',
      'Diagnoses',
      'Plan',
      'Recommendations',
      'Referral',
    ]);
    expect(amended.section?.find((s) => s.title === 'Vital signs')?.entry).toHaveLength(8);
    expect(amended.section?.find((s) => s.title === 'Plan')?.text?.div).toContain('Follow-up: 2026-04-02');
    expect(amended.attester?.[0]).toMatchObject({ mode: 'legal', time: '2026-03-03T10:00:00.000Z' });
    expect(fhirValidationErrors(amended)).toEqual([]);
  });

  it('escapes narrative text into XHTML', () => {
    expect(xhtml('a < b & "c"\nnext')).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml">a &lt; b &amp; &quot;c&quot;<br/>next</div>',
    );
  });

  it('marks an earlier version as replaced by the later one, both still there', () => {
    const [signed, amended] = mapCompositions(demoConsultationGraph());
    expect(signed!.extension?.[0]?.valueReference?.reference).toBe(`Composition/${amended!.id}`);
    expect(signed!.id).not.toBe(amended!.id);
    expect(signed!.identifier?.value).not.toBe(amended!.identifier?.value);
  });

  it('signs each version with a Provenance: who, when, and why for an amendment', () => {
    const graph = demoConsultationGraph();
    const provenances = mapProvenances(graph);
    expect(provenances.map((p) => [p.agent[0]?.type?.coding?.[0]?.code, p.agent[0]?.who?.reference])).toEqual(
      [
        ['attester', `Practitioner/${graph.specialist!.id}`],
        ['author', `Practitioner/${graph.specialist!.id}`],
      ],
    );
    expect(provenances[0]!.meta?.tag?.[0]).toEqual({
      system: 'urn:telemed:id:provenance',
      code: `${graph.consultation.id}-v1-provenance`,
    });
    for (const provenance of provenances) expect(fhirValidationErrors(provenance)).toEqual([]);
  });

  it('makes the referral a ServiceRequest to the specialty, with its reason and urgency', () => {
    const referral = mapReferral(demoConsultationGraph())!;
    expect(referral).toMatchObject({
      status: 'active',
      intent: 'order',
      priority: 'routine',
      code: { coding: [{ code: 'cardiology' }] },
      reasonCode: [{ text: 'Hypertension with diabetes: cardiovascular assessment' }],
      locationCode: [{ text: 'Kasr Al Ainy hospital' }],
    });
    expect(fhirValidationErrors(referral)).toEqual([]);
  });

  it('writes no ServiceRequest for a consultation that never had a referral', () => {
    const graph = demoConsultationGraph();
    graph.consultation.content = { ...graph.consultation.content, referral: null };
    graph.consultation.amendments = [];
    expect(mapReferral(graph)).toBeUndefined();
  });
});
