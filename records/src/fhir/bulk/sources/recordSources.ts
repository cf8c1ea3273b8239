import type { Resource, ResourceType } from '@medplum/fhirtypes';
import type { Model } from 'mongoose';
import type { AppointmentDoc } from '../../../models/Appointment.js';
import type { AuditEventDoc } from '../../../models/AuditEvent.js';
import type { OrganizationDoc } from '../../../models/Organization.js';
import type { PatientDoc } from '../../../models/Patient.js';
import type { Models } from '../../../models/registerModels.js';
import type { UserDoc } from '../../../models/User.js';
import {
  type Stored,
  toAppointment,
  toOrganization,
  toPatient,
  toUser,
} from '../../load/ConsultationGraphLoader.js';
import { mapAuditEvent } from '../../mapping/auditEventMapping.js';
import { mapAppointment } from '../../mapping/encounterMapping.js';
import type { AuditEventRecord } from '../../mapping/mappingInputs.js';
import { mapOrganization } from '../../mapping/organizationMapping.js';
import { mapPatient } from '../../mapping/patientMapping.js';
import { mapPractitioner, mapPractitionerRole } from '../../mapping/practitionerMapping.js';
import type { BulkTypeSource } from '../BulkTypeSource.js';
import { changedSince, cursorBatchSize } from './changedSince.js';

/** Roles that practise at an organization: the others (administrators, auditors) have no PractitionerRole. */
const practisingRoles = ['clinic_doctor', 'specialist'];

/**
 * A type with one resource per document of one collection: a cursor over the documents changed since, each
 * mapped as it comes. `scope` narrows the collection (users with a practising role).
 */
function collectionSource<D>(spec: {
  type: ResourceType;
  patientCompartment: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: each model's own document type; `map` is typed by `D`.
  model: Model<any>;
  map: (doc: Stored<D>) => Resource;
  scope?: Record<string, unknown>;
  changedField?: string;
}): BulkTypeSource {
  const filterOf = (since: Date | undefined) => {
    const { filter, sort } = changedSince(since, spec.changedField);
    return { filter: { ...spec.scope, ...filter }, sort };
  };
  return {
    type: spec.type,
    patientCompartment: spec.patientCompartment,
    estimate: (since) => spec.model.countDocuments(filterOf(since).filter),
    async *stream(since, signal) {
      const { filter, sort } = filterOf(since);
      const cursor = spec.model.find(filter).sort(sort).lean().cursor({ batchSize: cursorBatchSize });
      try {
        for await (const doc of cursor) {
          if (signal.aborted) return;
          yield spec.map(doc as Stored<D>);
        }
      } finally {
        await cursor.close();
      }
    },
  };
}

function toAuditEvent(d: Stored<AuditEventDoc>): AuditEventRecord {
  return {
    id: d._id.toHexString(),
    at: d.at,
    actorId: d.actorId?.toHexString(),
    actorRole: d.actorRole ?? undefined,
    action: d.action,
    resourceType: d.resourceType,
    resourceIds: d.resourceIds ?? [],
    patientIds: (d.patientIds ?? []).map((id) => id.toHexString()),
    outcome: d.outcome as AuditEventRecord['outcome'],
    reason: d.reason ?? undefined,
    ip: d.ip ?? undefined,
    via: d.via ?? undefined,
  };
}

/**
 * The types read from one collection each: the register (Patient, Appointment), the network (Organization,
 * Practitioner, PractitionerRole) and the audit trail (AuditEvent, by when it happened: the trail is never
 * updated). The audit trail and the network are system-level only; the patient compartment is the rest.
 */
export function recordSources(models: Models): BulkTypeSource[] {
  return [
    collectionSource<PatientDoc>({
      type: 'Patient',
      patientCompartment: true,
      model: models.Patient,
      map: (doc) => mapPatient(toPatient(doc)),
    }),
    collectionSource<AppointmentDoc>({
      type: 'Appointment',
      patientCompartment: true,
      model: models.Appointment,
      map: (doc) => mapAppointment(toAppointment(doc)),
    }),
    collectionSource<OrganizationDoc>({
      type: 'Organization',
      patientCompartment: false,
      model: models.Organization,
      map: (doc) => mapOrganization(toOrganization(doc)),
    }),
    collectionSource<UserDoc>({
      type: 'Practitioner',
      patientCompartment: false,
      model: models.User,
      map: (doc) => mapPractitioner(toUser(doc)),
    }),
    collectionSource<UserDoc>({
      type: 'PractitionerRole',
      patientCompartment: false,
      model: models.User,
      scope: { role: { $in: practisingRoles } },
      map: (doc) => mapPractitionerRole(toUser(doc)),
    }),
    collectionSource<AuditEventDoc>({
      type: 'AuditEvent',
      patientCompartment: false,
      model: models.AuditEvent,
      changedField: 'at',
      map: (doc) => mapAuditEvent(toAuditEvent(doc)),
    }),
  ];
}
