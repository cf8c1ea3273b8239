import { AppError, type AuthenticatedUser, type CallRole } from '@telemed/shared';
import { Types } from 'mongoose';
import type { Models } from '../models/registerModels.js';

interface PatientRef {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
}

interface ConsultationRef {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  patientId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  appointmentId: Types.ObjectId;
  status: string;
}

interface AppointmentRef {
  clinicId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  specialty: string;
  kind: string;
  status: string;
  invitations?: { specialistId: Types.ObjectId }[] | null | undefined;
}

/** Who someone is in an appointment's call (`callRoleSchema` of the shared contract). */
export type { CallRole };

/**
 * Why a consultation may be read: as one of its parties (the clinic, the specialist booked on it or who
 * joined it), or as the signed history of a patient the specialist is booked with. History reads are
 * audited apart (resourceType `consultation-history`), so an auditor can tell a party from a reader of the past.
 */
export type ConsultationReadGrant = 'party' | 'history';

/** The audit resource type of history reads, and the reason they carry. */
export const consultationHistoryAudit = {
  resourceType: 'consultation-history',
  reason: 'history: signed consultation of a patient the specialist is booked with',
} as const;

/** A consultation filter with the ids the caller is a party to told apart from history. */
export interface ConsultationListScope {
  filter: Record<string, unknown>;
  grantOf(doc: {
    _id: Types.ObjectId;
    specialistId?: Types.ObjectId | null;
    appointmentId: Types.ObjectId;
  }): ConsultationReadGrant;
}

/**
 * Who may see what, in one place: every route asks here.
 * - Clinic doctors: their clinic's patients and consultations.
 * - Specialists: the consultations they are booked on (the appointment names them) or joined (the
 *   consultation names them); and, as the patient's history, the SIGNED consultations of a patient with whom
 *   they hold an appointment that is not cancelled. Another specialist's draft is never theirs to read.
 * - Administrators: demographics for scheduling, never clinical content. Auditors: the audit log only.
 * - Specialists invited into an appointment's call by its booked specialist: that appointment and its
 *   consultation, read as a party, and its chat; no edits, no signing, no status changes.
 * - Writes to a consultation: its parties only, never a history reader nor an invited specialist.
 * A reference to another clinic's record is a refusal, not a bad request: FORBIDDEN (403), which the error
 * handler writes to the audit trail like every other refusal.
 */
export class AccessPolicy {
  readonly #models: Models;

  constructor(models: Models) {
    this.#models = models;
  }

  /** Clinical content of a patient (allergies, conditions, the list of consultations). */
  async assertPatientClinical(user: AuthenticatedUser, patient: PatientRef): Promise<void> {
    if (user.role === 'clinic_doctor' && patient.clinicId.toHexString() === user.organizationId) return;
    if (user.role === 'specialist' && (await this.#specialistIsBookedWith(user.id, patient._id))) return;
    throw new AppError('FORBIDDEN', {
      en: 'You may not see this patient’s clinical record.',
      ar: 'لا يحق لك الاطلاع على السجل الطبي لهذا المريض.',
    });
  }

  /**
   * The patients `user` may search, as a query filter: a clinic doctor their clinic's (whatever clinic they
   * ask for); an administrator any clinic's (demographics only, see the route), which a clinic asked for in
   * the query narrows. Refused before the query is read, so a role without access is refused (and audited)
   * whatever it sends.
   */
  patientSearchScope(user: AuthenticatedUser): { clinicId?: Types.ObjectId } {
    if (user.role === 'clinic_doctor') return { clinicId: new Types.ObjectId(user.organizationId) };
    if (user.role === 'administrator') return {};
    throw new AppError('FORBIDDEN', {
      en: 'Patient search is for clinic doctors and administrators.',
      ar: 'البحث عن المرضى متاح لأطباء الوحدات الصحية ومسؤولي النظام فقط.',
    });
  }

  /**
   * The appointments `user` may list, as a query filter laid over what they asked for: a clinic doctor their
   * clinic's, a specialist their own, an administrator all.
   */
  appointmentListScope(user: AuthenticatedUser): Record<string, unknown> {
    if (user.role === 'clinic_doctor') return { clinicId: new Types.ObjectId(user.organizationId) };
    if (user.role === 'specialist') return { specialistId: new Types.ObjectId(user.id) };
    if (user.role === 'administrator') return {};
    throw new AppError('FORBIDDEN', {
      en: 'Schedules are for clinic doctors, specialists and administrators.',
      ar: 'جداول المواعيد متاحة لأطباء الوحدات الصحية والأطباء الاستشاريين ومسؤولي النظام فقط.',
    });
  }

  /** Name, MRN, sex and age: what scheduling needs. */
  async assertPatientDemographics(user: AuthenticatedUser, patient: PatientRef): Promise<void> {
    if (user.role === 'administrator') return;
    await this.assertPatientClinical(user, patient);
  }

  /**
   * The patient `patientId` of clinic `clinicId`, for booking on their behalf. None at all is a bad field
   * (400); one of another clinic is a refusal (403, audited) for a clinic doctor, whose tenant it is not, and a
   * mismatch in the request (400) for an administrator, who books for every clinic.
   */
  async patientOfClinic<P extends Record<string, 1>>(
    user: AuthenticatedUser,
    patientId: string,
    clinicId: string,
    projection: P,
  ) {
    const patient = await this.#models.Patient.findById(patientId, { clinicId: 1, ...projection }).lean();
    if (!patient)
      throw new AppError('VALIDATION_FAILED', {
        en: 'patientId: no such patient.',
        ar: 'patientId: لا يوجد مريض بهذا المعرّف؛ اختر المريض من القائمة.',
      });
    if (patient.clinicId.toHexString() !== clinicId) {
      if (user.role === 'administrator') {
        throw new AppError('VALIDATION_FAILED', {
          en: 'patientId: this patient is registered at another clinic.',
          ar: 'patientId: هذا المريض مسجَّل في وحدة صحية أخرى؛ احجز له من وحدته.',
        });
      }
      throw new AppError('FORBIDDEN', {
        en: `patientId ${patientId}: this patient belongs to another clinic.`,
        ar: `patientId ${patientId}: هذا المريض يتبع وحدة صحية أخرى؛ لا يحجز له إلا أطباء وحدته.`,
      });
    }
    return patient;
  }

  /**
   * Reading one consultation: why it is allowed, or FORBIDDEN. The same rule as `consultationListScope`, so
   * the list and the single read always agree.
   */
  async readConsultation(
    user: AuthenticatedUser,
    consultation: ConsultationRef,
  ): Promise<ConsultationReadGrant> {
    if (await this.#isParty(user, consultation)) return 'party';
    if (await this.#isInvited(user, consultation)) return 'party';
    if (
      user.role === 'specialist' &&
      consultation.status === 'signed' &&
      (await this.#specialistIsBookedWith(user.id, consultation.patientId))
    ) {
      return 'history';
    }
    throw new AppError('FORBIDDEN', {
      en: 'You may not see this consultation.',
      ar: 'لا يحق لك الاطلاع على هذه الاستشارة.',
    });
  }

  /** Changing a consultation (edits, vital signs, chat, attachments, signing): its parties only. */
  async assertConsultationParty(user: AuthenticatedUser, consultation: ConsultationRef): Promise<void> {
    if (await this.#isParty(user, consultation)) return;
    throw new AppError('FORBIDDEN', {
      en: 'Only the clinic and the specialist of this consultation may change it.',
      ar: 'لا يعدّل هذه الاستشارة إلا طبيب الوحدة الصحية والطبيب الاستشاري المعنيّان بها.',
    });
  }

  /** Posting to a consultation's chat: its parties, and the specialists invited into its call. */
  async assertChatParticipant(user: AuthenticatedUser, consultation: ConsultationRef): Promise<void> {
    if (await this.#isParty(user, consultation)) return;
    if (await this.#isInvited(user, consultation)) return;
    throw new AppError('FORBIDDEN', {
      en: 'Only the participants of this consultation may write in its chat.',
      ar: 'الكتابة في محادثة هذه الاستشارة للمشاركين فيها فقط.',
    });
  }

  /**
   * The consultations of `patient` that `user` may list, as a query filter (the database does the choosing:
   * no post-filter over a page), and for each one found, whether it was read as a party or as history.
   */
  async consultationListScope(user: AuthenticatedUser, patient: PatientRef): Promise<ConsultationListScope> {
    if (user.role === 'clinic_doctor' && patient.clinicId.toHexString() === user.organizationId) {
      return { filter: { patientId: patient._id, clinicId: patient.clinicId }, grantOf: () => 'party' };
    }
    if (user.role === 'specialist') {
      const me = new Types.ObjectId(user.id);
      const appointments = await this.#models.Appointment.find(
        { patientId: patient._id, specialistId: me },
        { status: 1 },
      ).lean();
      if (appointments.length > 0) {
        const bookedOn = appointments.map((a) => a._id);
        const historyToo = appointments.some((a) => a.status !== 'cancelled');
        const bookedOnIds = new Set(bookedOn.map((id) => id.toHexString()));
        return {
          filter: {
            patientId: patient._id,
            $or: [
              { specialistId: me },
              { appointmentId: { $in: bookedOn } },
              ...(historyToo ? [{ status: 'signed' }] : []),
            ],
          },
          grantOf: (doc) =>
            doc.specialistId?.toHexString() === user.id || bookedOnIds.has(doc.appointmentId.toHexString())
              ? 'party'
              : 'history',
        };
      }
    }
    throw new AppError('FORBIDDEN', {
      en: 'You may not see this patient’s clinical record.',
      ar: 'لا يحق لك الاطلاع على السجل الطبي لهذا المريض.',
    });
  }

  /** Reading an appointment: those who manage it (see assertAppointmentManager) and those invited into its call. */
  assertAppointment(user: AuthenticatedUser, appointment: AppointmentRef, userSpecialty?: string): void {
    if (this.#managesAppointment(user, appointment, userSpecialty)) return;
    if (this.#invitedTo(user, appointment)) return;
    throw new AppError('FORBIDDEN', {
      en: 'You may not see this appointment.',
      ar: 'لا يحق لك الاطلاع على هذا الموعد.',
    });
  }

  /**
   * Changing an appointment's status: administrators, its clinic, its booked specialist, or any specialist of
   * its specialty while nobody is booked. An invited specialist may not.
   */
  assertAppointmentManager(
    user: AuthenticatedUser,
    appointment: AppointmentRef,
    userSpecialty?: string,
  ): void {
    if (this.#managesAppointment(user, appointment, userSpecialty)) return;
    throw new AppError('FORBIDDEN', {
      en: 'You may not change this appointment.',
      ar: 'لا يحق لك تعديل هذا الموعد.',
    });
  }

  /** Who `user` is in the appointment's call, or FORBIDDEN when they may not be in it. */
  callRole(user: AuthenticatedUser, appointment: AppointmentRef): CallRole {
    const role = this.callRoleIfAny(user, appointment);
    if (role) return role;
    throw new AppError(
      'FORBIDDEN',
      user.role === 'specialist'
        ? {
            en: 'Only the specialist booked on this appointment, or one they invited, may take part in its call; take the request first.',
            ar: 'لا يشارك في مكالمة هذا الموعد إلا الطبيب الاستشاري المحجوز عليه أو من دعاه؛ استلم الطلب أولاً.',
          }
        : {
            en: 'You may not take part in this appointment’s call.',
            ar: 'لا يحق لك المشاركة في مكالمة هذا الموعد.',
          },
    );
  }

  /** Who `user` is in the appointment's call, or undefined when they may not be in it. */
  callRoleIfAny(user: AuthenticatedUser, appointment: AppointmentRef): CallRole | undefined {
    if (user.role === 'clinic_doctor' && appointment.clinicId.toHexString() === user.organizationId) {
      return 'clinic';
    }
    if (user.role === 'specialist' && appointment.specialistId?.toHexString() === user.id) {
      return 'booked-specialist';
    }
    if (this.#invitedTo(user, appointment)) return 'invited-specialist';
    return undefined;
  }

  /** Inviting into (and withdrawing from) the call, admitting and ending it: the booked specialist only. */
  assertCallHost(user: AuthenticatedUser, appointment: AppointmentRef): void {
    if (user.role === 'specialist' && appointment.specialistId?.toHexString() === user.id) return;
    throw new AppError('FORBIDDEN', {
      en: 'Only the specialist booked on this appointment runs its call.',
      ar: 'إدارة مكالمة هذا الموعد للطبيب الاستشاري المحجوز عليه فقط.',
    });
  }

  #managesAppointment(user: AuthenticatedUser, appointment: AppointmentRef, userSpecialty?: string): boolean {
    if (user.role === 'administrator') return true;
    if (user.role === 'clinic_doctor' && appointment.clinicId.toHexString() === user.organizationId)
      return true;
    if (user.role === 'specialist') {
      if (appointment.specialistId?.toHexString() === user.id) return true;
      // "Any specialist of this specialty": visible to each of them until one takes it.
      if (!appointment.specialistId && userSpecialty === appointment.specialty) return true;
    }
    return false;
  }

  #invitedTo(user: AuthenticatedUser, appointment: AppointmentRef): boolean {
    if (user.role !== 'specialist') return false;
    return (appointment.invitations ?? []).some((i) => i.specialistId.toHexString() === user.id);
  }

  /** Opening an appointment's consultation record: the clinic, or the specialist the appointment names. */
  assertAppointmentParty(user: AuthenticatedUser, appointment: AppointmentRef): void {
    if (user.role === 'clinic_doctor' && appointment.clinicId.toHexString() === user.organizationId) return;
    if (user.role === 'specialist' && appointment.specialistId?.toHexString() === user.id) return;
    throw new AppError('FORBIDDEN', {
      en: 'Only the clinic and the booked specialist open this consultation.',
      ar: 'لا يفتح هذه الاستشارة إلا طبيب الوحدة الصحية والطبيب الاستشاري المحجوز على الموعد.',
    });
  }

  async #isParty(user: AuthenticatedUser, consultation: ConsultationRef): Promise<boolean> {
    if (user.role === 'clinic_doctor') return consultation.clinicId.toHexString() === user.organizationId;
    if (user.role !== 'specialist') return false;
    if (consultation.specialistId?.toHexString() === user.id) return true;
    // Booked on it: an urgent request picked after the clinic opened the record names them only there.
    const booked = await this.#models.Appointment.exists({
      _id: consultation.appointmentId,
      specialistId: new Types.ObjectId(user.id),
    });
    return booked !== null;
  }

  /** Invited into the call of the consultation's appointment (one lookup by id). */
  async #isInvited(user: AuthenticatedUser, consultation: ConsultationRef): Promise<boolean> {
    if (user.role !== 'specialist') return false;
    const invited = await this.#models.Appointment.exists({
      _id: consultation.appointmentId,
      'invitations.specialistId': new Types.ObjectId(user.id),
    });
    return invited !== null;
  }

  /** An appointment with the patient that still stands: a cancelled booking grants nothing. */
  async #specialistIsBookedWith(specialistId: string, patientId: Types.ObjectId): Promise<boolean> {
    const booked = await this.#models.Appointment.exists({
      patientId,
      specialistId: new Types.ObjectId(specialistId),
      status: { $ne: 'cancelled' },
    });
    return booked !== null;
  }
}
