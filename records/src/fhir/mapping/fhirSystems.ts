/**
 * Every identifier system, code system and URL the FHIR mapping writes, in one place.
 *
 * Our own systems are URNs under `urn:telemed:` rather than URLs of this deployment: an identifier a hospital has
 * stored must not change when the records service moves to another host name. The values are our database ids
 * (MongoDB ObjectIds, unique across collections), so a receiver can do conditional creates and updates on them.
 */
export const fhirSystems = {
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  diagnosisRole: 'http://terminology.hl7.org/CodeSystem/diagnosis-role',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  provenanceParticipantType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  dataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  auditEventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  auditEntityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  documentClass: 'http://loinc.org',
  /** Our specialty codes (`cardiology`, …): no national specialty code system is in use at the clinics. */
  specialty: 'urn:telemed:specialty',
  /** Egypt's national ID has no registered FHIR system yet; replace this one constant when it gets one. */
  nationalId: 'urn:telemed:eg:national-id',
} as const;

/** The MRN is unique within a clinic only (the clinics number their patients themselves), so each has its own. */
export function mrnSystem(clinicId: string): string {
  return `urn:telemed:clinic:${clinicId}:mrn`;
}

/** The kinds of our records that leave as FHIR resources with a business identifier of ours. */
export type BusinessIdentifierKind =
  | 'patient'
  | 'user'
  | 'practitioner-role'
  | 'organization'
  | 'appointment'
  | 'encounter'
  | 'observation'
  | 'condition'
  | 'composition'
  | 'provenance'
  | 'service-request'
  | 'document-reference'
  | 'communication'
  | 'audit-event';

/** The system of our business identifier for one kind of record: `urn:telemed:id:<kind>`. */
export function businessIdentifierSystem(kind: BusinessIdentifierKind): string {
  return `urn:telemed:id:${kind}`;
}

/** A business identifier of ours: `{ system: urn:telemed:id:<kind>, value }`. */
export function businessIdentifier(
  kind: BusinessIdentifierKind,
  value: string,
): { system: string; value: string } {
  return { system: businessIdentifierSystem(kind), value };
}

/** The R4 vital-signs profiles the Observations claim. */
export const vitalSignProfiles = {
  vitalSigns: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
  bloodPressure: 'http://hl7.org/fhir/StructureDefinition/bp',
  heartRate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
  respiratoryRate: 'http://hl7.org/fhir/StructureDefinition/resprate',
  bodyTemperature: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
  oxygenSaturation: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  bodyWeight: 'http://hl7.org/fhir/StructureDefinition/bodyweight',
  bodyHeight: 'http://hl7.org/fhir/StructureDefinition/bodyheight',
} as const;

/** Extensions used for script variants of names and for translated displays. */
export const fhirExtensions = {
  /** iso21090-EN-representation: marks a HumanName / name as the alphabetic (Latin) or ideographic form. */
  nameRepresentation: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation',
  /** The language of a name or of a string (BCP-47 code). */
  language: 'http://hl7.org/fhir/StructureDefinition/language',
  /** A translation of a string element, e.g. a Coding.display in Arabic. */
  translation: 'http://hl7.org/fhir/StructureDefinition/translation',
} as const;

/** Where the records API answers; DocumentReference URLs point back to it. Relative unless configured. */
export interface FhirMappingContext {
  /** e.g. `https://records.example.org`; empty for relative URLs (`/api/...`). */
  recordsBaseUrl: string;
}
