import type { CodeableConcept, Observation, Quantity } from '@medplum/fhirtypes';
import type { VitalSign } from '@telemed/shared';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier, fhirSystems, vitalSignProfiles } from './fhirSystems.js';

interface VitalSignCoding {
  profile: string;
  codings: { code: string; display: string }[];
  /** UCUM code and its human-readable unit. */
  unit: { code: string; display: string };
}

/**
 * Each kind of vital sign with the R4 profile it meets, its LOINC codes and its UCUM unit. Blood glucose has no
 * R4 vital-signs profile of its own, so it claims the generic one, with LOINC 2339-0 (glucose, mass/volume, in
 * blood), which is what a clinic glucometer reading reports. SpO2 carries 2708-6, which the profile requires,
 * and 59408-5 (by pulse oximetry), which says how a tele-clinic measures it.
 */
export const vitalSignCodings: Record<Exclude<VitalSign['kind'], 'blood-pressure'>, VitalSignCoding> = {
  'heart-rate': {
    profile: vitalSignProfiles.heartRate,
    codings: [{ code: '8867-4', display: 'Heart rate' }],
    unit: { code: '/min', display: 'beats/minute' },
  },
  'respiratory-rate': {
    profile: vitalSignProfiles.respiratoryRate,
    codings: [{ code: '9279-1', display: 'Respiratory rate' }],
    unit: { code: '/min', display: 'breaths/minute' },
  },
  temperature: {
    profile: vitalSignProfiles.bodyTemperature,
    codings: [{ code: '8310-5', display: 'Body temperature' }],
    unit: { code: 'Cel', display: 'C' },
  },
  spo2: {
    profile: vitalSignProfiles.oxygenSaturation,
    codings: [
      { code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
      { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
    ],
    unit: { code: '%', display: '%' },
  },
  weight: {
    profile: vitalSignProfiles.bodyWeight,
    codings: [{ code: '29463-7', display: 'Body weight' }],
    unit: { code: 'kg', display: 'kg' },
  },
  height: {
    profile: vitalSignProfiles.bodyHeight,
    codings: [{ code: '8302-2', display: 'Body height' }],
    unit: { code: 'cm', display: 'cm' },
  },
  'blood-glucose': {
    profile: vitalSignProfiles.vitalSigns,
    codings: [{ code: '2339-0', display: 'Glucose [Mass/volume] in Blood' }],
    unit: { code: 'mg/dL', display: 'mg/dL' },
  },
};

const vitalSignsCategory: CodeableConcept[] = [
  {
    coding: [{ system: fhirSystems.observationCategory, code: 'vital-signs', display: 'Vital Signs' }],
    text: 'Vital Signs',
  },
];

const loinc = (codings: { code: string; display: string }[], text: string): CodeableConcept => ({
  coding: codings.map((coding) => ({ system: fhirSystems.loinc, ...coding })),
  text,
});

const ucum = (value: number, unit: { code: string; display: string }): Quantity => ({
  value,
  unit: unit.display,
  system: fhirSystems.ucum,
  code: unit.code,
});

export interface VitalSignContext {
  consultationId: string;
  patientId: string;
}

/** One vital sign as an Observation meeting its R4 vital-signs profile. */
export function mapVitalSign(vital: VitalSign, context: VitalSignContext): Observation {
  const profile =
    vital.kind === 'blood-pressure' ? vitalSignProfiles.bloodPressure : vitalSignCodings[vital.kind].profile;
  const common = {
    resourceType: 'Observation' as const,
    id: vital.id,
    meta: { profile: [profile] },
    identifier: [businessIdentifier('observation', vital.id)],
    status: 'final' as const,
    category: vitalSignsCategory,
    subject: referenceTo('Patient', context.patientId),
    encounter: referenceTo('Encounter', context.consultationId),
    effectiveDateTime: fhirInstant(vital.takenAt),
    issued: fhirInstant(vital.recordedAt),
    performer: [referenceTo('Practitioner', vital.recordedBy)],
  };
  if (vital.kind === 'blood-pressure') {
    const mmHg = { code: 'mm[Hg]', display: 'mmHg' };
    return {
      ...common,
      code: loinc(
        [{ code: '85354-9', display: 'Blood pressure panel with all children optional' }],
        'Blood pressure',
      ),
      component: [
        {
          code: loinc([{ code: '8480-6', display: 'Systolic blood pressure' }], 'Systolic blood pressure'),
          valueQuantity: ucum(vital.systolic, mmHg),
        },
        {
          code: loinc([{ code: '8462-4', display: 'Diastolic blood pressure' }], 'Diastolic blood pressure'),
          valueQuantity: ucum(vital.diastolic, mmHg),
        },
      ],
    };
  }
  const coding = vitalSignCodings[vital.kind];
  return {
    ...common,
    code: loinc(coding.codings, coding.codings[0]!.display),
    valueQuantity: ucum(vital.value, coding.unit),
  };
}
