import type { ResourceType } from '@medplum/fhirtypes';

/** The clinical resource types one consultation maps to (the parties it involves aside). */
export const consultationClinicalTypes: ResourceType[] = [
  'Encounter',
  'Observation',
  'Condition',
  'Composition',
  'Provenance',
  'ServiceRequest',
  'DocumentReference',
  'Communication',
];

/** Every resource type one consultation's bundle holds: the parties, then the clinical resources. */
export const consultationResourceTypes: ResourceType[] = [
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Patient',
  'Appointment',
  ...consultationClinicalTypes,
];
