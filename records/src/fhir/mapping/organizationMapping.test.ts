import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapOrganization } from './organizationMapping.js';

describe('mapOrganization', validatingSuite, () => {
  const { clinic, hospital } = demoConsultationGraph();

  it('names a clinic in Arabic with its English name as a translation and an alias, and its address', () => {
    const resource = mapOrganization(clinic);
    expect(resource).toMatchObject({
      identifier: [{ system: 'urn:telemed:id:organization', value: clinic.id }],
      name: 'وحدة صحة شبين',
      alias: ['Shebin Health Unit'],
      type: [{ coding: [{ code: 'prov' }], text: 'clinic' }],
      address: [
        { line: ['12 Gamal Abdel Nasser St.'], district: 'Shebin El Kom', state: 'Menofia', country: 'EG' },
      ],
    });
    expect(JSON.stringify(resource)).toContain('"valueString":"Shebin Health Unit"');
    expect(resource.partOf).toBeUndefined();
    expect(fhirValidationErrors(resource)).toEqual([]);
  });

  it('maps a hospital without phone or street address', () => {
    const resource = mapOrganization(hospital!);
    expect(resource.type?.[0]?.text).toBe('hospital');
    expect(resource.telecom).toBeUndefined();
    expect(fhirValidationErrors(resource)).toEqual([]);
  });
});
