import { AppError, type AuthenticatedUser } from '@telemed/shared';
import type { Types } from 'mongoose';
import type { Models } from '../models/registerModels.js';

interface PatientRef {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
}

interface ConsultationRef {
  clinicId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  appointmentId: Types.ObjectId;
}

interface AppointmentRef {
  clinicId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  specialty: string;
  kind: string;
  status: string;
}

/**
 * Who may see what. Clinic doctors: their clinic's patients and consultations. Specialists: consultations
 * they are booked on, and the history of those patients. Administrators: demographics for scheduling, never
 * clinical content. Auditors: the audit log only. A refusal throws FORBIDDEN, which the error handler audits.
 */
export class AccessPolicy {
  readonly #models: Models;

  constructor(models: Models) {
    this.#models = models;
  }

  /** Clinical content of a patient (allergies, conditions, consultations). */
  async assertPatientClinical(user: AuthenticatedUser, patient: PatientRef): Promise<void> {
    if (user.role === 'clinic_doctor' && patient.clinicId.toHexString() === user.organizationId) return;
    if (user.role === 'specialist' && (await this.#specialistIsBookedWith(user.id, patient._id))) return;
    throw new AppError('FORBIDDEN', 'You may not see this patient’s clinical record.');
  }

  /** Name, MRN, sex and age: what scheduling needs. */
  async assertPatientDemographics(user: AuthenticatedUser, patient: PatientRef): Promise<void> {
    if (user.role === 'administrator') return;
    await this.assertPatientClinical(user, patient);
  }

  assertConsultation(user: AuthenticatedUser, consultation: ConsultationRef): void {
    if (user.role === 'clinic_doctor' && consultation.clinicId.toHexString() === user.organizationId) return;
    if (user.role === 'specialist' && consultation.specialistId?.toHexString() === user.id) return;
    throw new AppError('FORBIDDEN', 'You may not see this consultation.');
  }

  assertAppointment(user: AuthenticatedUser, appointment: AppointmentRef, userSpecialty?: string): void {
    if (user.role === 'administrator') return;
    if (user.role === 'clinic_doctor' && appointment.clinicId.toHexString() === user.organizationId) return;
    if (user.role === 'specialist') {
      if (appointment.specialistId?.toHexString() === user.id) return;
      // "Any specialist of this specialty": visible to each of them until one takes it.
      if (!appointment.specialistId && userSpecialty === appointment.specialty) return;
    }
    throw new AppError('FORBIDDEN', 'You may not see this appointment.');
  }

  async #specialistIsBookedWith(specialistId: string, patientId: Types.ObjectId): Promise<boolean> {
    const booked = await this.#models.Appointment.exists({ patientId, specialistId });
    return booked !== null;
  }
}
