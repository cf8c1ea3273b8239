import type { Icd10Catalog } from '../../../icd10/Icd10Catalog.js';
import type { AppointmentDoc } from '../../../models/Appointment.js';
import type { ConsultationDoc } from '../../../models/Consultation.js';
import type { OrganizationDoc } from '../../../models/Organization.js';
import type { PatientDoc } from '../../../models/Patient.js';
import type { Models } from '../../../models/registerModels.js';
import type { UserDoc } from '../../../models/User.js';
import {
  type Stored,
  toAppointment,
  toConsultation,
  toOrganization,
  toPatient,
  toUser,
} from '../../load/ConsultationGraphLoader.js';
import { practitionerIdsOf } from '../../mapping/consultationResources.js';
import type {
  ConsultationGraph,
  ConsultationRecord,
  OrganizationRecord,
  UserRecord,
} from '../../mapping/mappingInputs.js';
import { changedSince, cursorBatchSize } from './changedSince.js';

/**
 * Consultations for a bulk export, from one cursor, with their graphs built a batch at a time: a batch's
 * appointments and patients are two `$in` reads, and the people and organizations they name (a few hundred in
 * a whole network) are read once per export and kept. `ConsultationGraphLoader` does the same for one
 * consultation; a loader call per consultation would be four round trips each.
 */
export class ConsultationGraphBatches {
  readonly #models: Models;
  readonly #icd10: Icd10Catalog;
  readonly #batchSize: number;

  constructor(models: Models, icd10: Icd10Catalog, batchSize = cursorBatchSize) {
    this.#models = models;
    this.#icd10 = icd10;
    this.#batchSize = batchSize;
  }

  /**
   * The consultations changed since `since` (all without it) and matching `only`, as records; for the types
   * that need no other document.
   */
  async *consultations(
    since: Date | undefined,
    signal: AbortSignal,
    only: Record<string, unknown> = {},
  ): AsyncGenerator<ConsultationRecord> {
    for await (const batch of this.#batches(since, signal, only)) {
      for (const consultation of batch) {
        if (signal.aborted) return;
        yield consultation;
      }
    }
  }

  /** The same consultations with everything their resources refer to. */
  async *graphs(
    since: Date | undefined,
    signal: AbortSignal,
    only: Record<string, unknown> = {},
  ): AsyncGenerator<ConsultationGraph> {
    const people = new Map<string, UserRecord>();
    const organizations = new Map<string, OrganizationRecord>();
    for await (const batch of this.#batches(since, signal, only)) {
      const [appointments, patients] = await Promise.all([
        this.#models.Appointment.find({ _id: { $in: batch.map((c) => c.appointmentId) } })
          .lean<Stored<AppointmentDoc>[]>()
          .then((docs) => new Map(docs.map((d) => [d._id.toHexString(), toAppointment(d)]))),
        this.#models.Patient.find({ _id: { $in: [...new Set(batch.map((c) => c.patientId))] } })
          .lean<Stored<PatientDoc>[]>()
          .then((docs) => new Map(docs.map((d) => [d._id.toHexString(), toPatient(d)]))),
      ]);
      const missingPeople = new Set<string>();
      for (const consultation of batch) {
        const appointment = appointments.get(consultation.appointmentId);
        if (!appointment) continue;
        for (const id of practitionerIdsOf({ consultation, appointment }))
          if (id && !people.has(id)) missingPeople.add(id);
      }
      if (missingPeople.size > 0) {
        const docs = await this.#models.User.find({ _id: { $in: [...missingPeople] } }).lean<
          Stored<UserDoc>[]
        >();
        for (const doc of docs) people.set(doc._id.toHexString(), toUser(doc));
      }
      const missingOrganizations = new Set<string>();
      for (const consultation of batch) {
        if (!organizations.has(consultation.clinicId)) missingOrganizations.add(consultation.clinicId);
        const specialistId =
          consultation.specialistId ?? appointments.get(consultation.appointmentId)?.specialistId;
        const hospitalId = specialistId ? people.get(specialistId)?.organizationId : undefined;
        if (hospitalId && !organizations.has(hospitalId)) missingOrganizations.add(hospitalId);
      }
      if (missingOrganizations.size > 0) {
        const docs = await this.#models.Organization.find({
          _id: { $in: [...missingOrganizations] },
        }).lean<Stored<OrganizationDoc>[]>();
        for (const doc of docs) organizations.set(doc._id.toHexString(), toOrganization(doc));
      }
      for (const consultation of batch) {
        if (signal.aborted) return;
        yield this.#graphOf(consultation, appointments, patients, people, organizations);
      }
    }
  }

  #graphOf(
    consultation: ConsultationRecord,
    appointments: Map<string, ConsultationGraph['appointment']>,
    patients: Map<string, ConsultationGraph['patient']>,
    people: Map<string, UserRecord>,
    organizations: Map<string, OrganizationRecord>,
  ): ConsultationGraph {
    const appointment = appointments.get(consultation.appointmentId);
    const patient = patients.get(consultation.patientId);
    const clinic = organizations.get(consultation.clinicId);
    // The same refusal as the loader's: a graph with a hole would export dangling references.
    if (!appointment || !patient || !clinic) {
      throw new Error(
        `Consultation ${consultation.id} names an appointment, a patient or a clinic that does not exist`,
      );
    }
    const specialistId = consultation.specialistId ?? appointment.specialistId;
    const specialist = specialistId ? people.get(specialistId) : undefined;
    const clinicDoctor = people.get(appointment.createdBy);
    const named = practitionerIdsOf({ consultation, appointment });
    return {
      consultation,
      appointment,
      patient,
      clinic,
      hospital: specialist ? organizations.get(specialist.organizationId) : undefined,
      specialist,
      clinicDoctor,
      otherPeople: [...named].flatMap((id) => {
        const person = people.get(id);
        return person && person !== specialist && person !== clinicDoctor ? [person] : [];
      }),
      icd10: (code) => this.#icd10.get(code),
    };
  }

  async *#batches(
    since: Date | undefined,
    signal: AbortSignal,
    only: Record<string, unknown>,
  ): AsyncGenerator<ConsultationRecord[]> {
    const { filter, sort } = changedSince(since);
    const cursor = this.#models.Consultation.find({ ...only, ...filter })
      .sort(sort)
      .lean<Stored<ConsultationDoc>[]>()
      .cursor({ batchSize: this.#batchSize });
    let batch: ConsultationRecord[] = [];
    try {
      for await (const doc of cursor) {
        if (signal.aborted) return;
        batch.push(toConsultation(doc as unknown as Stored<ConsultationDoc>));
        if (batch.length >= this.#batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0 && !signal.aborted) yield batch;
    } finally {
      await cursor.close();
    }
  }
}
