import type { Bundle } from '@medplum/fhirtypes';
import type { Types } from 'mongoose';

/**
 * The consultation (as stored, read lean) as it stands once the signature or amendment being written is
 * applied: its new status, content, amendments and version. Without the outbox itself.
 */
export interface ConsultationToPush {
  _id: Types.ObjectId;
  appointmentId: Types.ObjectId;
  patientId: Types.ObjectId;
  clinicId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  status: 'draft' | 'signed';
  version: number;
  content: Record<string, unknown>;
  vitalSigns: unknown[];
  signedAt?: Date | null | undefined;
  signedBy?: Types.ObjectId | null | undefined;
  amendments: unknown[];
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
}

/**
 * Builds the FHIR R4 transaction Bundle of a consultation's resources. Its entries must be conditional creates
 * and updates on business identifiers (`ifNoneExist`, `PUT Type?identifier=…`), so that sending the same
 * bundle twice creates nothing twice. It may read (the patient, the practitioners) but writes nothing: it runs
 * before the signature's update, so that the update stays one write.
 */
export type ConsultationBundleBuilder = (consultation: ConsultationToPush) => Promise<Bundle>;
