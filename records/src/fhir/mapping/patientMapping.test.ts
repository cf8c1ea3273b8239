import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { fhirSystems, mrnSystem } from './fhirSystems.js';
import { mapPatient } from './patientMapping.js';

describe('mapPatient', validatingSuite, () => {
  const { patient } = demoConsultationGraph();

  it('identifies the patient by the clinic’s MRN, the national ID and our id', () => {
    const resource = mapPatient(patient);
    expect(resource.identifier?.map((i) => [i.system, i.value])).toEqual([
      [mrnSystem(patient.clinicId), 'SHB-000123'],
      [fhirSystems.nationalId, '28503120101234'],
      ['urn:telemed:id:patient', patient.id],
    ]);
    expect(fhirValidationErrors(resource)).toEqual([]);
  });

  it('gives the name in Arabic script and in Latin script, each marked with its language', () => {
    const [arabic, latin] = mapPatient(patient).name!;
    expect(arabic).toMatchObject({
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/language', valueCode: 'ar' }],
      use: 'official',
      text: 'أحمد محمد علي',
      family: 'علي',
      given: ['أحمد', 'محمد'],
    });
    expect(latin).toMatchObject({
      extension: [{ valueCode: 'ar-Latn' }],
      text: 'Ahmed Mohamed Ali',
      family: 'Ali',
      given: ['Ahmed', 'Mohamed'],
    });
  });

  it('carries telecom, gender, birth date and the managing clinic', () => {
    expect(mapPatient(patient)).toMatchObject({
      telecom: [{ system: 'phone', value: '+201001234567', use: 'mobile' }],
      gender: 'male',
      birthDate: '1985-03-12',
      managingOrganization: { reference: `Organization/${patient.clinicId}` },
    });
  });

  it('leaves out what the record lacks: no national ID, no phone, a one-word name', () => {
    const bare = mapPatient({
      ...patient,
      nationalId: undefined,
      phone: undefined,
      name: { ar: 'سعاد', latin: 'Soad' },
    });
    expect(bare.identifier?.map((i) => i.system)).not.toContain(fhirSystems.nationalId);
    expect(bare.telecom).toBeUndefined();
    expect(bare.name?.[1]).toMatchObject({ given: ['Soad'] });
    expect(bare.name?.[1]?.family).toBeUndefined();
    expect(fhirValidationErrors(bare)).toEqual([]);
  });
});
