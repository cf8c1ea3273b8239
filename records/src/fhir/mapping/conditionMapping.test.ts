import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapConditions } from './conditionMapping.js';

describe('mapConditions', validatingSuite, () => {
  it('codes each diagnosis in ICD-10 with the English display and its Arabic translation', () => {
    const [diabetes] = mapConditions(demoConsultationGraph());
    expect(diabetes).toMatchObject({
      category: [{ coding: [{ code: 'encounter-diagnosis' }] }],
      code: {
        coding: [
          {
            system: 'http://hl7.org/fhir/sid/icd-10',
            code: 'E11.9',
            display: 'Type 2 diabetes mellitus without complications',
            _display: {
              extension: [
                {
                  url: 'http://hl7.org/fhir/StructureDefinition/translation',
                  extension: [
                    { url: 'lang', valueCode: 'ar' },
                    { url: 'content', valueString: 'داء السكري من النوع الثاني بدون مضاعفات' },
                  ],
                },
              ],
            },
          },
        ],
        text: 'Type 2 diabetes, newly diagnosed',
      },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      recordedDate: '2026-03-02T08:45:00.000Z',
    });
    expect(fhirValidationErrors(diabetes!)).toEqual([]);
  });

  it('keeps a code the catalog does not know, without a display', () => {
    const graph = demoConsultationGraph();
    graph.consultation.content = { diagnoses: [{ code: 'Z99.9', text: 'Something else', kind: 'primary' }] };
    graph.consultation.amendments = [];
    const [condition] = mapConditions(graph);
    expect(condition!.code?.coding).toEqual([{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'Z99.9' }]);
    expect(fhirValidationErrors(condition!)).toEqual([]);
  });

  it('marks the diagnoses of a draft provisional', () => {
    const graph = demoConsultationGraph();
    graph.consultation = { ...graph.consultation, status: 'draft', amendments: [] };
    expect(mapConditions(graph).map((c) => c.verificationStatus?.coding?.[0]?.code)).toEqual([
      'provisional',
      'provisional',
    ]);
  });
});
