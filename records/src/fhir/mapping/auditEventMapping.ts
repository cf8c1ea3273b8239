import type { AuditEvent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { fhirSystems } from './fhirSystems.js';
import type { AuditEventRecord } from './mappingInputs.js';

const dicom = 'http://dicom.nema.org/resources/ontology/DCM';

const eventType = (action: string): Coding => {
  if (action === 'login' || action === 'logout')
    return { system: dicom, code: '110114', display: 'User Authentication' };
  if (action === 'export') return { system: dicom, code: '110106', display: 'Export' };
  return { system: fhirSystems.auditEventType, code: 'rest', display: 'RESTful Operation' };
};

const subtypes: Record<string, Coding> = {
  read: { system: fhirSystems.restfulInteraction, code: 'read', display: 'read' },
  create: { system: fhirSystems.restfulInteraction, code: 'create', display: 'create' },
  update: { system: fhirSystems.restfulInteraction, code: 'update', display: 'update' },
  sign: { system: fhirSystems.restfulInteraction, code: 'update', display: 'update' },
  delete: { system: fhirSystems.restfulInteraction, code: 'delete', display: 'delete' },
  login: { system: dicom, code: '110122', display: 'Login' },
  logout: { system: dicom, code: '110123', display: 'Logout' },
};

const actionCodes: Record<string, AuditEvent['action']> = {
  create: 'C',
  read: 'R',
  export: 'R',
  update: 'U',
  sign: 'U',
  delete: 'D',
  login: 'E',
  logout: 'E',
};

/** R4's outcome codes: 0 success, 4 minor failure (a refusal), 8 serious failure. */
const outcomes = { success: '0', denied: '4', failed: '8' } as const;

/**
 * An entry of our audit trail as an R4 AuditEvent. The records it names are entities by business identifier
 * (our resource kinds are not all FHIR types); the patients concerned are entities referring to the Patient.
 */
export function mapAuditEvent(event: AuditEventRecord): AuditEvent {
  const subtype = subtypes[event.action];
  const entity: AuditEventEntity[] = [
    ...event.resourceIds.map((id) => ({
      what: { identifier: { system: `urn:telemed:record:${event.resourceType}`, value: id } },
      type: { system: fhirSystems.auditEntityType, code: '2', display: 'System Object' },
    })),
    ...event.patientIds.map((id) => ({
      what: referenceTo('Patient', id),
      type: { system: fhirSystems.auditEntityType, code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    })),
  ];
  return {
    resourceType: 'AuditEvent',
    id: event.id,
    type: eventType(event.action),
    ...(subtype ? { subtype: [subtype] } : {}),
    ...(actionCodes[event.action] ? { action: actionCodes[event.action] } : {}),
    recorded: fhirInstant(event.at),
    outcome: outcomes[event.outcome],
    ...(event.reason ? { outcomeDesc: event.reason } : {}),
    agent: [
      {
        ...(event.actorRole
          ? { role: [{ coding: [{ system: 'urn:telemed:role', code: event.actorRole }] }] }
          : {}),
        who: event.actorId ? referenceTo('Practitioner', event.actorId) : { display: event.via ?? 'system' },
        requestor: Boolean(event.actorId),
        ...(event.ip ? { network: { address: event.ip, type: '2' as const } } : {}),
      },
    ],
    source: {
      site: event.via ?? 'http',
      observer: { display: 'telemed records service' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    ...(entity.length ? { entity } : {}),
  };
}
