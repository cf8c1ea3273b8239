import type { ConsultationContent, Icd10Entry, Specialty, VitalSign } from '@telemed/shared';

/**
 * The records the mappers read, as plain objects with string ids: what the loader makes of the mongoose
 * documents, and what a test writes by hand. Only the fields FHIR carries are here.
 */
export interface PersonName {
  ar: string;
  latin: string;
}

export interface PatientRecord {
  id: string;
  clinicId: string;
  mrn: string;
  nationalId?: string | undefined;
  name: PersonName;
  sex: 'female' | 'male';
  birthDate: string;
  phone?: string | undefined;
  updatedAt?: Date | undefined;
}

export interface OrganizationRecord {
  id: string;
  kind: 'clinic' | 'hospital';
  name: { ar: string; en: string };
  governorate: string;
  district: string;
  address?: string | undefined;
  phone?: string | undefined;
  active: boolean;
}

export type PractitionerRoleName = 'clinic_doctor' | 'specialist' | 'administrator' | 'auditor';

export interface UserRecord {
  id: string;
  name: PersonName;
  role: PractitionerRoleName;
  organizationId: string;
  specialty?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  active: boolean;
}

export interface AppointmentStatusChange {
  status: string;
  at: Date;
}

export interface AppointmentRecord {
  id: string;
  kind: 'scheduled' | 'on-demand';
  clinicId: string;
  patientId: string;
  specialty: string;
  specialistId?: string | undefined;
  start: Date;
  end: Date;
  reason: string;
  priority: 'routine' | 'urgent';
  status: 'scheduled' | 'waiting' | 'in-progress' | 'completed' | 'cancelled' | 'no-show';
  statusHistory: AppointmentStatusChange[];
  specialistJoinedAt?: Date | undefined;
  completedAt?: Date | undefined;
  createdBy: string;
  createdAt: Date;
}

export interface ChatMessageRecord {
  id: string;
  authorId: string;
  authorRole: string;
  text: string;
  at: Date;
}

export interface AttachmentRecord {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  /** Base64 SHA-1 of the bytes, as FHIR's Attachment.hash wants; absent on files uploaded before it was kept. */
  sha1?: string | undefined;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface AmendmentRecord {
  /** The version of the consultation the amendment was made on: `previous` is that version's content. */
  version: number;
  at: Date;
  by: string;
  reason: string;
  previous: Partial<ConsultationContent>;
}

export interface ConsultationRecord {
  id: string;
  appointmentId: string;
  patientId: string;
  clinicId: string;
  specialistId?: string | undefined;
  status: 'draft' | 'signed';
  version: number;
  content: Partial<ConsultationContent>;
  vitalSigns: VitalSign[];
  chat: ChatMessageRecord[];
  attachments: AttachmentRecord[];
  signedAt?: Date | undefined;
  signedBy?: string | undefined;
  amendments: AmendmentRecord[];
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditEventRecord {
  id: string;
  at: Date;
  actorId?: string | undefined;
  actorRole?: string | undefined;
  action: string;
  resourceType: string;
  resourceIds: string[];
  patientIds: string[];
  outcome: 'success' | 'denied' | 'failed';
  reason?: string | undefined;
  ip?: string | undefined;
  via?: string | undefined;
}

/** Looks up an ICD-10 code's English and Arabic titles; undefined for a code not in the catalog. */
export type Icd10Lookup = (code: string) => Icd10Entry | undefined;

/** One consultation and everything its FHIR resources refer to. */
export interface ConsultationGraph {
  consultation: ConsultationRecord;
  appointment: AppointmentRecord;
  patient: PatientRecord;
  clinic: OrganizationRecord;
  /** The specialist's hospital; absent while no specialist took the consultation. */
  hospital?: OrganizationRecord | undefined;
  specialist?: UserRecord | undefined;
  /** The clinic doctor who booked the appointment (its `createdBy`). */
  clinicDoctor?: UserRecord | undefined;
  /** Everyone else named in the record (chat authors, uploaders, invited specialists), by id. */
  otherPeople: UserRecord[];
  icd10: Icd10Lookup;
}

export type { Specialty };
