import type { Appointment, Encounter, EncounterParticipant } from '@medplum/fhirtypes';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier, fhirSystems } from './fhirSystems.js';
import type { AppointmentRecord, ConsultationGraph } from './mappingInputs.js';
import { specialtyConcept } from './practitionerMapping.js';

const appointmentStatus: Record<AppointmentRecord['status'], Appointment['status']> = {
  scheduled: 'booked',
  waiting: 'checked-in',
  'in-progress': 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  'no-show': 'noshow',
};

const encounterStatus: Record<AppointmentRecord['status'], Encounter['status']> = {
  scheduled: 'planned',
  waiting: 'arrived',
  'in-progress': 'in-progress',
  completed: 'finished',
  cancelled: 'cancelled',
  'no-show': 'cancelled',
};

const priority = (p: AppointmentRecord['priority']) => ({
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority',
      code: p === 'urgent' ? 'UR' : 'R',
      display: p === 'urgent' ? 'urgent' : 'routine',
    },
  ],
});

export function mapAppointment(appointment: AppointmentRecord): Appointment {
  const participant: Appointment['participant'] = [
    { actor: referenceTo('Patient', appointment.patientId), required: 'required', status: 'accepted' },
    { actor: referenceTo('Practitioner', appointment.createdBy), required: 'required', status: 'accepted' },
  ];
  if (appointment.specialistId)
    participant.push({
      actor: referenceTo('Practitioner', appointment.specialistId),
      required: 'required',
      status: 'accepted',
    });
  return {
    resourceType: 'Appointment',
    id: appointment.id,
    identifier: [businessIdentifier('appointment', appointment.id)],
    status: appointmentStatus[appointment.status],
    appointmentType: {
      coding: [{ system: 'urn:telemed:appointment-kind', code: appointment.kind }],
      text: appointment.kind,
    },
    serviceType: [specialtyConcept(appointment.specialty)],
    priority: appointment.priority === 'urgent' ? 1 : 5,
    description: appointment.reason,
    start: fhirInstant(appointment.start),
    end: fhirInstant(appointment.end),
    created: fhirInstant(appointment.createdAt),
    participant,
  };
}

/**
 * The admission is when the call began (the specialist joined, or the appointment went in progress) and the
 * end when it was completed; an end without a known start is left out rather than invented.
 */
export function encounterPeriod(appointment: AppointmentRecord): Encounter['period'] | undefined {
  const firstAt = (status: string) =>
    appointment.statusHistory.find((change) => change.status === status)?.at;
  const start = appointment.specialistJoinedAt ?? firstAt('in-progress');
  const end = appointment.completedAt ?? firstAt('completed');
  if (!start) return undefined;
  return end && end >= start
    ? { start: fhirInstant(start), end: fhirInstant(end) }
    : { start: fhirInstant(start) };
}

/**
 * One Encounter per consultation, class VR (virtual): the clinic doctor attends with the patient, the
 * specialist consults from the hospital, which provides the service (the clinic does while no hospital took it).
 */
export function mapEncounter(graph: ConsultationGraph): Encounter {
  const { consultation, appointment, patient, clinic, hospital, specialist, clinicDoctor } = graph;
  const participant: EncounterParticipant[] = [];
  if (clinicDoctor)
    participant.push({
      type: [{ coding: [{ system: fhirSystems.participationType, code: 'ATND', display: 'attender' }] }],
      individual: referenceTo('Practitioner', clinicDoctor.id),
    });
  if (specialist)
    participant.push({
      type: [{ coding: [{ system: fhirSystems.participationType, code: 'CON', display: 'consultant' }] }],
      individual: referenceTo('Practitioner', specialist.id),
    });
  const period = encounterPeriod(appointment);
  const diagnoses = consultation.content.diagnoses ?? [];
  return {
    resourceType: 'Encounter',
    id: consultation.id,
    identifier: [businessIdentifier('encounter', consultation.id)],
    status: consultation.status === 'signed' ? 'finished' : encounterStatus[appointment.status],
    class: { system: fhirSystems.actCode, code: 'VR', display: 'virtual' },
    serviceType: specialtyConcept(appointment.specialty),
    priority: priority(appointment.priority),
    subject: referenceTo('Patient', patient.id),
    participant,
    appointment: [referenceTo('Appointment', appointment.id)],
    ...(period ? { period } : {}),
    reasonCode: [{ text: consultation.content.reasonForVisit?.trim() || appointment.reason }],
    ...(diagnoses.length
      ? {
          // Ranked as the doctor listed them, the primary diagnoses first.
          diagnosis: [
            ...diagnoses.filter((d) => d.kind === 'primary'),
            ...diagnoses.filter((d) => d.kind !== 'primary'),
          ].map((diagnosis, index) => ({
            condition: referenceTo('Condition', conditionId(consultation.id, diagnosis.code)),
            use: {
              coding: [{ system: fhirSystems.diagnosisRole, code: 'DD', display: 'Discharge diagnosis' }],
            },
            rank: index + 1,
          })),
        }
      : {}),
    serviceProvider: referenceTo('Organization', (hospital ?? clinic).id),
  };
}

/** A diagnosis has no id of its own; within a consultation its ICD-10 code is unique, and survives amendments. */
export function conditionId(consultationId: string, icd10Code: string): string {
  return `${consultationId}-${icd10Code.replace('.', '')}`;
}
