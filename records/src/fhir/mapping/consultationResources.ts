import type { Resource } from '@medplum/fhirtypes';
import { mapCompositions } from './compositionMapping.js';
import { mapConditions } from './conditionMapping.js';
import { mapAttachment, mapChatMessage } from './documentMapping.js';
import { mapAppointment, mapEncounter } from './encounterMapping.js';
import type { FhirMappingContext } from './fhirSystems.js';
import type { ConsultationGraph, UserRecord } from './mappingInputs.js';
import { mapOrganization } from './organizationMapping.js';
import { mapPatient } from './patientMapping.js';
import { mapPractitioner, mapPractitionerRole } from './practitionerMapping.js';
import { mapProvenances } from './provenanceMapping.js';
import { mapReferral } from './referralMapping.js';
import { mapVitalSign } from './vitalSignMapping.js';

/** The ids of everyone a consultation's resources name as a Practitioner. */
export function practitionerIdsOf(
  graph: Pick<ConsultationGraph, 'consultation' | 'appointment'>,
): Set<string> {
  const { consultation, appointment } = graph;
  const ids = new Set<string>([appointment.createdBy]);
  const add = (id: string | undefined) => id && ids.add(id);
  add(appointment.specialistId);
  add(consultation.specialistId);
  add(consultation.signedBy);
  for (const amendment of consultation.amendments) add(amendment.by);
  for (const vital of consultation.vitalSigns) add(vital.recordedBy);
  for (const message of consultation.chat) add(message.authorId);
  for (const attachment of consultation.attachments) add(attachment.uploadedBy);
  return ids;
}

/**
 * Every FHIR resource one consultation gives, from its loaded graph: the organizations and people it names,
 * the patient, the appointment and the encounter, then the clinical content. Pure: the same graph gives the
 * same resources, which is what makes a pushed bundle idempotent.
 */
export function consultationResources(graph: ConsultationGraph, mapping: FhirMappingContext): Resource[] {
  const { consultation, appointment, patient, clinic, hospital, specialist, clinicDoctor } = graph;
  const context = { consultationId: consultation.id, patientId: patient.id };
  const people = new Map<string, UserRecord>();
  for (const person of [specialist, clinicDoctor, ...graph.otherPeople])
    if (person) people.set(person.id, person);
  const named = [...practitionerIdsOf(graph)].flatMap((id) => people.get(id) ?? []);
  const referral = mapReferral(graph);
  return [
    mapOrganization(clinic),
    ...(hospital ? [mapOrganization(hospital)] : []),
    ...named.map(mapPractitioner),
    // Roles only for the two whose organizations are in the graph: the clinic doctor's and the specialist's.
    ...[clinicDoctor, specialist].flatMap((person) => (person ? [mapPractitionerRole(person)] : [])),
    mapPatient(patient),
    mapAppointment(appointment),
    mapEncounter(graph),
    ...consultation.vitalSigns.map((vital) => mapVitalSign(vital, context)),
    ...mapConditions(graph),
    ...mapCompositions(graph),
    ...mapProvenances(graph),
    ...(referral ? [referral] : []),
    ...consultation.attachments.map((attachment) => mapAttachment(attachment, context, mapping)),
    ...consultation.chat.map((message) => mapChatMessage(message, context)),
  ];
}
