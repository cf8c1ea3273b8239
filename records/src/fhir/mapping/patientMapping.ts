import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { businessIdentifier, fhirExtensions, fhirSystems, mrnSystem } from './fhirSystems.js';
import type { PatientRecord, PersonName } from './mappingInputs.js';

/**
 * A name in both scripts as two HumanNames, each marked with the R4 `language` extension (which FHIR defines
 * on HumanName for exactly this): `ar` for Arabic script, `ar-Latn` (BCP-47: Arabic, Latin script) for the
 * transliteration. `use` stays `official` on both, since both are the same official name; `use` has no value for
 * a script. Our records keep a name as one string per script, so `text` carries it whole; `family` is the last
 * word and `given` the others, which is how Egyptian names (own, father's, grandfather's) read.
 */
export function humanNames(name: PersonName): HumanName[] {
  return [scriptName(name.ar, 'ar'), scriptName(name.latin, 'ar-Latn')];
}

function scriptName(text: string, language: string): HumanName {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const parts: Pick<HumanName, 'family' | 'given'> =
    words.length > 1 ? { family: words[words.length - 1], given: words.slice(0, -1) } : { given: words };
  return {
    extension: [{ url: fhirExtensions.language, valueCode: language }],
    use: 'official',
    text: text.trim(),
    ...parts,
  };
}

export function patientIdentifiers(patient: PatientRecord): Identifier[] {
  const identifiers: Identifier[] = [
    {
      use: 'usual',
      type: {
        coding: [{ system: fhirSystems.identifierType, code: 'MR', display: 'Medical record number' }],
      },
      system: mrnSystem(patient.clinicId),
      value: patient.mrn,
      assigner: { reference: `Organization/${patient.clinicId}` },
    },
  ];
  if (patient.nationalId)
    identifiers.push({
      use: 'official',
      type: {
        coding: [
          {
            system: fhirSystems.identifierType,
            code: 'NI',
            display: 'National unique individual identifier',
          },
        ],
      },
      system: fhirSystems.nationalId,
      value: patient.nationalId,
    });
  identifiers.push({ use: 'secondary', ...businessIdentifier('patient', patient.id) });
  return identifiers;
}

export function mapPatient(patient: PatientRecord): Patient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    ...(patient.updatedAt ? { meta: { lastUpdated: patient.updatedAt.toISOString() } } : {}),
    identifier: patientIdentifiers(patient),
    active: true,
    name: humanNames(patient.name),
    ...(patient.phone ? { telecom: [{ system: 'phone', value: patient.phone, use: 'mobile' }] } : {}),
    gender: patient.sex,
    birthDate: patient.birthDate,
    managingOrganization: { reference: `Organization/${patient.clinicId}` },
  };
}
