import type { Connection } from 'mongoose';
import { appointmentSchema } from './Appointment.js';
import { auditEventSchema } from './AuditEvent.js';
import { availabilitySchema } from './Availability.js';
import { bulkExportChunkSchema } from './BulkExportChunk.js';
import { bulkExportJobSchema } from './BulkExportJob.js';
import { consultationSchema } from './Consultation.js';
import { organizationSchema } from './Organization.js';
import { patientSchema } from './Patient.js';
import { refreshSessionSchema } from './RefreshSession.js';
import { systemClientSchema } from './SystemClient.js';
import { usedClientAssertionSchema } from './UsedClientAssertion.js';
import { userSchema } from './User.js';

/** The records models bound to one connection (tests open several connections in one process). */
export function registerModels(connection: Connection) {
  return {
    Organization: connection.model('Organization', organizationSchema),
    User: connection.model('User', userSchema),
    RefreshSession: connection.model('RefreshSession', refreshSessionSchema),
    Patient: connection.model('Patient', patientSchema),
    Availability: connection.model('Availability', availabilitySchema),
    Appointment: connection.model('Appointment', appointmentSchema),
    Consultation: connection.model('Consultation', consultationSchema),
    AuditEvent: connection.model('AuditEvent', auditEventSchema),
    SystemClient: connection.model('SystemClient', systemClientSchema),
    UsedClientAssertion: connection.model('UsedClientAssertion', usedClientAssertionSchema),
    BulkExportJob: connection.model('BulkExportJob', bulkExportJobSchema),
    BulkExportChunk: connection.model('BulkExportChunk', bulkExportChunkSchema),
  };
}

export type Models = ReturnType<typeof registerModels>;
