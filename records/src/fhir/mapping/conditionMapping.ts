import type { Condition } from '@medplum/fhirtypes';
import { conditionId } from './encounterMapping.js';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier, fhirSystems } from './fhirSystems.js';
import type { ConsultationGraph } from './mappingInputs.js';
import { translation } from './organizationMapping.js';

interface DiagnosisEntry {
  code: string;
  text: string;
  kind?: 'primary' | 'secondary' | undefined;
}

/**
 * One Condition per diagnosis the consultation has, or had in an earlier signed version: a diagnosis an
 * amendment took out stays, marked `entered-in-error`, so a receiver that stored it learns it was withdrawn.
 * The ICD-10 coding carries the catalog's English title as `display` and the Arabic one as a `translation`
 * extension on it (FHIR's way of giving one display in two languages); `text` is what the doctor wrote.
 */
export function mapConditions(graph: ConsultationGraph): Condition[] {
  const { consultation } = graph;
  const current = consultation.content.diagnoses ?? [];
  const currentCodes = new Set(current.map((d) => d.code));
  const withdrawn = new Map<string, DiagnosisEntry>();
  for (const amendment of consultation.amendments)
    for (const diagnosis of amendment.previous.diagnoses ?? [])
      if (!currentCodes.has(diagnosis.code)) withdrawn.set(diagnosis.code, diagnosis);
  return [
    ...current.map((diagnosis) => mapCondition(graph, diagnosis, false)),
    ...[...withdrawn.values()].map((diagnosis) => mapCondition(graph, diagnosis, true)),
  ];
}

function mapCondition(graph: ConsultationGraph, diagnosis: DiagnosisEntry, withdrawn: boolean): Condition {
  const { consultation, patient, specialist, icd10 } = graph;
  const entry = icd10(diagnosis.code);
  const id = conditionId(consultation.id, diagnosis.code);
  const verification = withdrawn
    ? 'entered-in-error'
    : consultation.status === 'signed'
      ? 'confirmed'
      : 'provisional';
  const recorded = consultation.signedAt ?? consultation.updatedAt;
  return {
    resourceType: 'Condition',
    id,
    identifier: [businessIdentifier('condition', id)],
    // con-5: an entered-in-error condition has no clinical status.
    ...(withdrawn
      ? {}
      : { clinicalStatus: { coding: [{ system: fhirSystems.conditionClinical, code: 'active' }] } }),
    verificationStatus: { coding: [{ system: fhirSystems.conditionVerification, code: verification }] },
    category: [
      {
        coding: [
          {
            system: fhirSystems.conditionCategory,
            code: 'encounter-diagnosis',
            display: 'Encounter Diagnosis',
          },
        ],
      },
    ],
    code: {
      coding: [
        entry
          ? {
              system: fhirSystems.icd10,
              code: diagnosis.code,
              display: entry.en,
              _display: { extension: [translation('ar', entry.ar)] },
            }
          : { system: fhirSystems.icd10, code: diagnosis.code },
      ],
      text: diagnosis.text,
    },
    subject: referenceTo('Patient', patient.id),
    encounter: referenceTo('Encounter', consultation.id),
    recordedDate: fhirInstant(recorded),
    ...(specialist ? { recorder: referenceTo('Practitioner', specialist.id) } : {}),
  } as Condition;
}
