import type { ServiceRequest } from '@medplum/fhirtypes';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier } from './fhirSystems.js';
import type { ConsultationGraph } from './mappingInputs.js';
import { specialtyConcept } from './practitionerMapping.js';

const urgency = { routine: 'routine', urgent: 'urgent', emergency: 'stat' } as const;

/** A consultation has at most one referral, so its ServiceRequest's id derives from the consultation's. */
export function referralId(consultationId: string): string {
  return `${consultationId}-referral`;
}

/**
 * The referral as a ServiceRequest (intent `order`, category referral). One an amendment took out is sent as
 * `revoked`, so a receiver that acted on it learns it was withdrawn; none is written if there never was one.
 */
export function mapReferral(graph: ConsultationGraph): ServiceRequest | undefined {
  const { consultation, patient, specialist, clinicDoctor } = graph;
  const earlier = [...consultation.amendments].reverse().find((a) => a.previous.referral)?.previous.referral;
  const referral = consultation.content.referral ?? earlier;
  if (!referral) return undefined;
  const revoked = !consultation.content.referral;
  const requester = specialist ?? clinicDoctor;
  const id = referralId(consultation.id);
  return {
    resourceType: 'ServiceRequest',
    id,
    identifier: [businessIdentifier('service-request', id)],
    status: revoked ? 'revoked' : consultation.status === 'signed' ? 'active' : 'draft',
    intent: 'order',
    category: [
      { coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] },
    ],
    priority: urgency[referral.urgency ?? 'routine'],
    code: referral.specialty ? specialtyConcept(referral.specialty) : { text: 'Referral' },
    subject: referenceTo('Patient', patient.id),
    encounter: referenceTo('Encounter', consultation.id),
    authoredOn: fhirInstant(consultation.signedAt ?? consultation.updatedAt),
    ...(requester ? { requester: referenceTo('Practitioner', requester.id) } : {}),
    ...(referral.facility ? { locationCode: [{ text: referral.facility }] } : {}),
    reasonCode: [{ text: referral.reason }],
  };
}
