import type { Connection } from 'mongoose';
import { AccessPolicy } from './access/AccessPolicy.js';
import { AppointmentService } from './appointments/AppointmentService.js';
import { CallService } from './appointments/CallService.js';
import { AuditLog } from './audit/AuditLog.js';
import { AuditTrailService } from './audit/AuditTrailService.js';
import { ConsultationService } from './consultations/ConsultationService.js';
import { SpecialistNoteList } from './consultations/SpecialistNoteList.js';
import type { FhirOutbox } from './fhir/push/FhirOutbox.js';
import { Icd10Catalog } from './icd10/Icd10Catalog.js';
import type { Models } from './models/registerModels.js';
import { PatientService } from './patients/PatientService.js';

/** The services holding records' domain rules, for the HTTP routes and for any caller without a request. */
export interface RecordsServices {
  patients: PatientService;
  appointments: AppointmentService;
  calls: CallService;
  consultations: ConsultationService;
  notes: SpecialistNoteList;
  auditTrail: AuditTrailService;
}

export interface RecordsServicesDeps {
  models: Models;
  connection: Connection;
  /** One audit log per process, shared with what else audits (sign-in, refusals); a new one by default. */
  audit?: AuditLog;
  access?: AccessPolicy;
  icd10?: Icd10Catalog;
  /** With a FHIR server to push to (FHIR_PUSH_URL): where signatures and amendments queue their bundle. */
  fhirOutbox?: FhirOutbox | undefined;
}

export function createRecordsServices({
  models,
  connection,
  audit = new AuditLog(models.AuditEvent),
  access = new AccessPolicy(models),
  icd10 = Icd10Catalog.shared(),
  fhirOutbox,
}: RecordsServicesDeps): RecordsServices {
  const appointments = new AppointmentService({ models, audit, access });
  return {
    patients: new PatientService({ models, audit, access }),
    appointments,
    calls: new CallService({ models, audit, access, appointments }),
    consultations: new ConsultationService({ models, audit, access, icd10, connection, outbox: fhirOutbox }),
    notes: new SpecialistNoteList({ models, audit }),
    auditTrail: new AuditTrailService({ models, audit }),
  };
}
