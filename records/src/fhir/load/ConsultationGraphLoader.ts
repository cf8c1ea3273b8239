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

/** A document as read lean, with the fields every schema with timestamps has. */
export type Stored<T> = T & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

type StoredId = Types.ObjectId | string | null | undefined;

/**
 * A consultation document as the graph reads it: one read with `lean()`, or the document a signature or an
 * amendment is about to write (the push maps that one).
 */
export interface ConsultationDocument {
  _id: Types.ObjectId;
  appointmentId: StoredId;
  patientId: StoredId;
  clinicId: StoredId;
  specialistId?: StoredId;
  status: 'draft' | 'signed';
  version: number;
  content?: Partial<ConsultationRecord['content']> | null;
  vitalSigns?: readonly unknown[] | null;
  chat: readonly {
    id?: string | null;
    authorId?: StoredId;
    authorRole?: string | null;
    text?: string | null;
    at?: Date | null;
  }[];
  attachments: readonly {
    id?: string | null;
    fileName?: string | null;
    contentType?: string | null;
    size?: number | null;
    sha1?: string | null;
    uploadedBy?: StoredId;
    uploadedAt?: Date | null;
  }[];
  signedAt?: Date | null;
  signedBy?: StoredId;
  amendments: readonly {
    version?: number | null;
    at?: Date | null;
    by?: StoredId;
    reason?: string | null;
    previous?: unknown;
  }[];
  createdAt: Date;
  updatedAt: Date;
}

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
    const [graph] = await this.loadMany([consultationId]);
    return graph;
  }

  /**
   * The graphs of many consultations (a patient's record, a page of a search) in the same four rounds as one:
   * each round reads all of them by `_id` with `$in`. In the order of `consultationIds`; unknown ids are skipped.
   */
  async loadMany(consultationIds: readonly string[]): Promise<ConsultationGraph[]> {
    const ids = consultationIds.filter((id) => Types.ObjectId.isValid(id));
    if (ids.length === 0) return [];
    const docs = await this.#models.Consultation.find({ _id: { $in: ids } }).lean<
      Stored<ConsultationDoc>[]
    >();
    const byId = new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
    return this.graphsOf(ids.flatMap((id) => byId.get(id) ?? []));
  }

  /**
   * The graph of a consultation document already in hand: what the push uses to map the consultation as its
   * signature or amendment will leave it, before that update is written (the people it names then, a new signer
   * or amender among them, are read with the rest). Three rounds of reads.
   */
  async graphOf(doc: ConsultationDocument): Promise<ConsultationGraph> {
    const [graph] = await this.graphsOf([doc]);
    if (!graph) throw new Error(`Consultation ${doc._id.toHexString()} could not be read as a graph`);
    return graph;
  }

  /** The graphs of consultation documents in hand, in their order: three rounds of `$in` reads for all of them. */
  async graphsOf(docs: readonly ConsultationDocument[]): Promise<ConsultationGraph[]> {
    const consultations = docs.map(toConsultation);
    if (consultations.length === 0) return [];
    const [appointmentDocs, patientDocs] = await Promise.all([
      this.#models.Appointment.find({ _id: { $in: consultations.map((c) => c.appointmentId) } }).lean<
        Stored<AppointmentDoc>[]
      >(),
      this.#models.Patient.find({ _id: { $in: [...new Set(consultations.map((c) => c.patientId))] } }).lean<
        Stored<PatientDoc>[]
      >(),
    ]);
    const appointments = new Map(appointmentDocs.map((d) => [d._id.toHexString(), toAppointment(d)]));
    const patients = new Map(patientDocs.map((d) => [d._id.toHexString(), toPatient(d)]));
    const peopleIds = new Set<string>();
    for (const consultation of consultations) {
      const appointment = appointments.get(consultation.appointmentId);
      if (!appointment || !patients.has(consultation.patientId))
        throw new Error(
          `Consultation ${consultation.id} names an appointment or a patient that does not exist`,
        );
      for (const id of practitionerIdsOf({ consultation, appointment })) peopleIds.add(id);
    }
    const userDocs = await this.#models.User.find({ _id: { $in: [...peopleIds] } }).lean<Stored<UserDoc>[]>();
    const people = new Map(userDocs.map((d) => [d._id.toHexString(), toUser(d)]));
    const organizationIds = new Set<string>();
    for (const consultation of consultations) {
      organizationIds.add(consultation.clinicId);
      const appointment = appointments.get(consultation.appointmentId);
      const specialist = people.get(consultation.specialistId ?? appointment?.specialistId ?? '');
      if (specialist) organizationIds.add(specialist.organizationId);
    }
    const organizations = new Map(
      (
        await this.#models.Organization.find({ _id: { $in: [...organizationIds] } }).lean<
          Stored<OrganizationDoc>[]
        >()
      ).map((d) => [d._id.toHexString(), toOrganization(d)]),
    );
    return consultations.map((consultation) => {
      const appointment = appointments.get(consultation.appointmentId) as AppointmentRecord;
      const named = [...practitionerIdsOf({ consultation, appointment })].flatMap(
        (id) => people.get(id) ?? [],
      );
      const specialistId = consultation.specialistId ?? appointment.specialistId;
      const specialist = named.find((p) => p.id === specialistId);
      const clinicDoctor = named.find((p) => p.id === appointment.createdBy);
      const clinic = organizations.get(consultation.clinicId);
      if (!clinic) throw new Error(`Consultation ${consultation.id} names a clinic that does not exist`);
      const hospital = specialist ? organizations.get(specialist.organizationId) : undefined;
      return {
        consultation,
        appointment,
        patient: patients.get(consultation.patientId) as PatientRecord,
        clinic,
        hospital,
        specialist,
        clinicDoctor,
        otherPeople: named.filter((p) => p !== specialist && p !== clinicDoctor),
        icd10: (code: string) => this.#icd10.get(code),
      };
    });
  }
}

export function toConsultation(d: ConsultationDocument): ConsultationRecord {
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
