import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapPractitioner, mapPractitionerRole } from './practitionerMapping.js';

describe('mapPractitioner and mapPractitionerRole', validatingSuite, () => {
  const { specialist, clinicDoctor } = demoConsultationGraph();

  it('gives a practitioner both names and the contacts the account has', () => {
    const resource = mapPractitioner(specialist!);
    expect(resource.name?.map((n) => n.text)).toEqual(['منى حسن', 'Mona Hassan']);
    expect(resource.telecom).toEqual([{ system: 'email', value: 'mona.hassan@example.org', use: 'work' }]);
    expect(fhirValidationErrors(resource)).toEqual([]);
  });

  it('places a specialist at the hospital with the specialty, in English with the Arabic as a translation', () => {
    const role = mapPractitionerRole(specialist!);
    expect(role).toMatchObject({
      practitioner: { reference: `Practitioner/${specialist!.id}` },
      organization: { reference: `Organization/${specialist!.organizationId}` },
      specialty: [
        {
          coding: [
            { system: 'urn:telemed:specialty', code: 'endocrinology', display: 'Endocrinology and diabetes' },
          ],
        },
      ],
    });
    expect(JSON.stringify(role)).toContain('الغدد الصماء والسكر');
    expect(fhirValidationErrors(role)).toEqual([]);
  });

  it('places a clinic doctor at the clinic, without a specialty', () => {
    const role = mapPractitionerRole(clinicDoctor!);
    expect(role.organization?.reference).toBe(`Organization/${clinicDoctor!.organizationId}`);
    expect(role.specialty).toBeUndefined();
    expect(fhirValidationErrors(role)).toEqual([]);
  });
});
