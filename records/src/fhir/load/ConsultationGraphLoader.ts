import type { VitalSign } from '@telemed/shared';
import { Types } from 'mongoose';
import type { Icd10Catalog } from '../../icd10/Icd10Catalog.js';
import type { AppointmentDoc } from '../../models/Appointment.js';
import type { ConsultationDoc } from '../../models/Consultation.js';
import type { OrganizationDoc } from '../../models/Organization.js';
import type { PatientDoc } from '../../models/Patient.js';
import type { Models } from '../../models/registerModels.js';
import type { UserDoc } from '../../models/User.js';
import { practitionerIdsOf } from '../mapping/consultationResources.js';
import type {
  AppointmentRecord,
  ConsultationGraph,
  ConsultationRecord,
  OrganizationRecord,
  PatientRecord,
  UserRecord,
} from '../mapping/mappingInputs.js';

export type Stored<T> = T & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const idOf = (value: unknown): string | undefined =>
  value instanceof Types.ObjectId ? value.toHexString() : typeof value === 'string' ? value : undefined;
const idsIn = (value: unknown) => idOf(value) ?? '';

/**
 * Reads everything one consultation's FHIR resources need, by id only: the consultation, then its appointment
 * and patient together, then the people it names and their organizations. Four rounds of indexed reads
 * whatever the size of the store; what the push and the read API call before mapping. Authorization and the
 * audit of the read are the caller's: this is a repository, not a policy.
 */
export class ConsultationGraphLoader {
  readonly #models: Models;
  readonly #icd10: Icd10Catalog;

  constructor(models: Models, icd10: Icd10Catalog) {
    this.#models = models;
    this.#icd10 = icd10;
  }

  /** The graph of one consultation, or undefined when there is no such consultation. */
  async load(consultationId: string): Promise<ConsultationGraph | undefined> {
    if (!Types.ObjectId.isValid(consultationId)) return undefined;
    const doc = (await this.#models.Consultation.findById(
      consultationId,
    ).lean()) as Stored<ConsultationDoc> | null;
    if (!doc) return undefined;
    const consultation = toConsultation(doc);
    const [appointmentDoc, patientDoc] = await Promise.all([
      this.#models.Appointment.findById(
        consultation.appointmentId,
      ).lean() as Promise<Stored<AppointmentDoc> | null>,
      this.#models.Patient.findById(consultation.patientId).lean() as Promise<Stored<PatientDoc> | null>,
    ]);
    if (!appointmentDoc || !patientDoc)
      throw new Error(`Consultation ${consultationId} names an appointment or a patient that does not exist`);
    const appointment = toAppointment(appointmentDoc);
    const peopleIds = [...practitionerIdsOf({ consultation, appointment })];
    const userDocs = (await this.#models.User.find({ _id: { $in: peopleIds } }).lean()) as Stored<UserDoc>[];
    const people = userDocs.map(toUser);
    const specialistId = consultation.specialistId ?? appointment.specialistId;
    const specialist = people.find((p) => p.id === specialistId);
    const clinicDoctor = people.find((p) => p.id === appointment.createdBy);
    const organizationIds = [consultation.clinicId, ...(specialist ? [specialist.organizationId] : [])];
    const organizations = (
      (await this.#models.Organization.find({
        _id: { $in: organizationIds },
      }).lean()) as Stored<OrganizationDoc>[]
    ).map(toOrganization);
    const clinic = organizations.find((o) => o.id === consultation.clinicId);
    if (!clinic) throw new Error(`Consultation ${consultationId} names a clinic that does not exist`);
    const hospital = specialist ? organizations.find((o) => o.id === specialist.organizationId) : undefined;
    return {
      consultation,
      appointment,
      patient: toPatient(patientDoc),
      clinic,
      hospital,
      specialist,
      clinicDoctor,
      otherPeople: people.filter((p) => p !== specialist && p !== clinicDoctor),
      icd10: (code) => this.#icd10.get(code),
    };
  }
}

function toConsultation(d: Stored<ConsultationDoc>): ConsultationRecord {
  return {
    id: d._id.toHexString(),
    appointmentId: idsIn(d.appointmentId),
    patientId: idsIn(d.patientId),
    clinicId: idsIn(d.clinicId),
    specialistId: idOf(d.specialistId),
    status: d.status,
    version: d.version,
    content: d.content ?? {},
    vitalSigns: ((d.vitalSigns ?? []) as VitalSign[]).map((vital) => ({
      ...vital,
      recordedBy: idsIn(vital.recordedBy),
    })),
    chat: d.chat.map((m) => ({
      id: m.id ?? '',
      authorId: idsIn(m.authorId),
      authorRole: m.authorRole ?? '',
      text: m.text ?? '',
      at: m.at ?? d.createdAt,
    })),
    attachments: d.attachments.map((a) => ({
      id: a.id ?? '',
      fileName: a.fileName ?? 'file',
      contentType: a.contentType ?? 'application/octet-stream',
      size: a.size ?? 0,
      sha1: a.sha1 ?? undefined,
      uploadedBy: idsIn(a.uploadedBy),
      uploadedAt: a.uploadedAt ?? d.createdAt,
    })),
    signedAt: d.signedAt ?? undefined,
    signedBy: idOf(d.signedBy),
    amendments: d.amendments.map((a) => ({
      version: a.version ?? 0,
      at: a.at ?? d.updatedAt,
      by: idsIn(a.by),
      reason: a.reason ?? '',
      previous: (a.previous ?? {}) as ConsultationRecord['content'],
    })),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function toAppointment(d: Stored<AppointmentDoc>): AppointmentRecord {
  return {
    id: d._id.toHexString(),
    kind: d.kind,
    clinicId: idsIn(d.clinicId),
    patientId: idsIn(d.patientId),
    specialty: d.specialty,
    specialistId: idOf(d.specialistId),
    start: d.start,
    end: d.end,
    reason: d.reason,
    priority: d.priority ?? 'routine',
    status: d.status as AppointmentRecord['status'],
    statusHistory: d.statusHistory.flatMap((s) => (s.status && s.at ? [{ status: s.status, at: s.at }] : [])),
    specialistJoinedAt: d.specialistJoinedAt ?? undefined,
    completedAt: d.completedAt ?? undefined,
    createdBy: idsIn(d.createdBy),
    createdAt: d.createdAt,
  };
}

export function toPatient(d: Stored<PatientDoc>): PatientRecord {
  return {
    id: d._id.toHexString(),
    clinicId: idsIn(d.clinicId),
    mrn: d.mrn,
    nationalId: d.nationalId ?? undefined,
    name: d.name,
    sex: d.sex,
    birthDate: d.birthDate,
    phone: d.phone ?? undefined,
    updatedAt: d.updatedAt ?? undefined,
  };
}

export function toUser(d: Stored<UserDoc>): UserRecord {
  return {
    id: d._id.toHexString(),
    name: d.name,
    role: d.role,
    organizationId: idsIn(d.organizationId),
    specialty: d.specialty ?? undefined,
    phone: d.phone ?? undefined,
    email: d.email ?? undefined,
    active: d.active ?? true,
  };
}

export function toOrganization(d: Stored<OrganizationDoc>): OrganizationRecord {
  return {
    id: d._id.toHexString(),
    kind: d.kind,
    name: d.name,
    governorate: d.governorate,
    district: d.district,
    address: d.address || undefined,
    phone: d.phone ?? undefined,
    active: d.active ?? true,
  };
}
