import type { Communication, DocumentReference } from '@medplum/fhirtypes';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier, type FhirMappingContext } from './fhirSystems.js';
import type { AttachmentRecord, ChatMessageRecord } from './mappingInputs.js';

export interface ConsultationContext {
  consultationId: string;
  patientId: string;
}

/** Where the records API serves an attachment's bytes (the same token as for `/api` reads it). */
export function attachmentUrl(
  mapping: FhirMappingContext,
  consultationId: string,
  attachmentId: string,
): string {
  return `${mapping.recordsBaseUrl}/api/consultations/${consultationId}/attachments/${attachmentId}`;
}

/** An attachment as a DocumentReference: the bytes stay in the records service, the URL leads to them. */
export function mapAttachment(
  attachment: AttachmentRecord,
  context: ConsultationContext,
  mapping: FhirMappingContext,
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: attachment.id,
    identifier: [businessIdentifier('document-reference', attachment.id)],
    status: 'current',
    subject: referenceTo('Patient', context.patientId),
    date: fhirInstant(attachment.uploadedAt),
    author: [referenceTo('Practitioner', attachment.uploadedBy)],
    description: attachment.fileName,
    content: [
      {
        attachment: {
          contentType: attachment.contentType,
          url: attachmentUrl(mapping, context.consultationId, attachment.id),
          size: attachment.size,
          ...(attachment.sha1 ? { hash: attachment.sha1 } : {}),
          title: attachment.fileName,
          creation: fhirInstant(attachment.uploadedAt),
        },
      },
    ],
    context: { encounter: [referenceTo('Encounter', context.consultationId)] },
  };
}

/** A chat message of the call as a Communication from its author, about the patient, in the encounter. */
export function mapChatMessage(message: ChatMessageRecord, context: ConsultationContext): Communication {
  return {
    resourceType: 'Communication',
    id: message.id,
    identifier: [businessIdentifier('communication', message.id)],
    status: 'completed',
    category: [
      { coding: [{ system: 'urn:telemed:communication-category', code: 'consultation-chat' }], text: 'chat' },
    ],
    subject: referenceTo('Patient', context.patientId),
    encounter: referenceTo('Encounter', context.consultationId),
    sent: fhirInstant(message.at),
    sender: referenceTo('Practitioner', message.authorId),
    payload: [{ contentString: message.text }],
  };
}
