import {
  AppError,
  type Page,
  type Patient,
  type PatientSummary,
  type patientInputSchema,
  type patientSearchQuerySchema,
  type patientUpdateSchema,
} from '@telemed/shared';
import { Types } from 'mongoose';
import type { z } from 'zod';
import type { AccessPolicy } from '../access/AccessPolicy.js';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import { toApi } from '../api/serialize.js';
import { parseId } from '../api/validate.js';
import { appointmentPatientFields, appointmentPatientOf } from '../appointments/appointmentPatient.js';
import type { AuditEntry, AuditLog } from '../audit/AuditLog.js';
import { auditRefusals } from '../audit/auditRefusals.js';
import { findPage } from '../db/findPage.js';
import type { Models } from '../models/registerModels.js';
import { normalizeSearchText } from '../text/normalizeSearchText.js';
import { patientSearchFilter } from './patientSearchFilter.js';
import { searchTermsOf } from './searchTerms.js';

/** Who may do what; routes check them first, before reading any input. */
export const patientRoles = {
  register: ['clinic_doctor'],
  update: ['clinic_doctor'],
} as const;

const summaryProjection = { clinicId: 1, mrn: 1, nationalId: 1, name: 1, sex: 1, birthDate: 1, phone: 1 };
type PatientSummaryDocument = { _id: Types.ObjectId } & Record<string, unknown>;

export type PatientSearch = z.infer<typeof patientSearchQuerySchema> & { page: number; limit: number };
type PatientInput = z.infer<typeof patientInputSchema>;
type PatientChanges = z.infer<typeof patientUpdateSchema>;

/** What an administrator may see of a patient: identity for scheduling, no clinical fields. */
export type PatientDemographics = Omit<Patient, 'allergies' | 'chronicConditions' | 'currentMedications'>;

/**
 * Patients: clinic doctors register, search and change their clinic's; administrators search and read
 * demographics; specialists read those they are booked with (AccessPolicy). Every read and change is audited
 * here, whoever calls.
 */
export class PatientService {
  readonly #models: Models;
  readonly #audit: AuditLog;
  readonly #access: AccessPolicy;

  constructor(deps: { models: Models; audit: AuditLog; access: AccessPolicy }) {
    this.#models = deps.models;
    this.#audit = deps.audit;
    this.#access = deps.access;
  }

  /** The patients the caller may search; refused (403, audited) before the query is read for a role that may not. */
  searchScope(caller: Caller): Promise<{ clinicId?: Types.ObjectId }> {
    return this.#refusalsAudited(caller, 'read', undefined, async () =>
      this.#access.patientSearchScope(caller.user),
    );
  }

  async search(
    caller: Caller,
    scope: { clinicId?: Types.ObjectId },
    { q, clinicId, page, limit }: PatientSearch,
  ): Promise<Page<PatientSummary>> {
    const filter: Record<string, unknown> = { ...scope };
    if (!scope.clinicId && clinicId) filter.clinicId = new Types.ObjectId(clinicId);
    Object.assign(filter, patientSearchFilter(q));
    // No sort and no count: a common first name matches thousands, and ordering or counting them all costs
    // more than the page. Results come in index order; a person refines the words rather than paging far.
    // Straight through the driver: the busiest read of the clinic app, and its filter is already cast.
    const found = await findPage<PatientSummaryDocument>(this.#models.Patient, {
      filter,
      projection: summaryProjection,
      skip: (page - 1) * limit,
      limit: limit + 1,
    });
    const docs = found.slice(0, limit);
    const reason = q ? `search "${normalizeSearchText(q).slice(0, 40)}"` : 'list';
    await this.#audit.recordMany(
      caller.actor,
      docs.map((doc) => this.#event('read', doc._id.toHexString(), reason)),
    );
    return {
      items: docs.map((doc) => toApi<PatientSummary>(doc)),
      page,
      limit,
      hasMore: found.length > limit,
    };
  }

  async register(caller: Caller, input: PatientInput): Promise<Patient> {
    const user = assertRole(caller.user, patientRoles.register);
    const doc = await this.#models.Patient.create({
      ...input,
      mrn: input.mrn.toUpperCase(),
      clinicId: user.organizationId,
      searchTerms: searchTermsOf([input.name.ar, input.name.latin]),
    });
    await this.#audit.record(caller.actor, this.#event('create', doc.id));
    return toApi<Patient>(doc.toObject());
  }

  /** The patient as the caller may see them: an administrator gets demographics only. */
  read(caller: Caller, rawId: string): Promise<Patient | PatientDemographics> {
    return this.#refusalsAudited(caller, 'read', rawId, async () => {
      const id = parseId(rawId, 'patient');
      const doc = await this.#models.Patient.findById(id).lean();
      if (!doc) throw new AppError('NOT_FOUND', { en: 'No such patient.', ar: 'هذا المريض غير موجود.' });
      await this.#access.assertPatientDemographics(caller.user, doc);
      const patient = toApi<Patient>(doc);
      await this.#audit.record(caller.actor, this.#event('read', id));
      return caller.user.role === 'administrator' ? withoutClinicalFields(patient) : patient;
    });
  }

  update(caller: Caller, rawId: string, changes: PatientChanges): Promise<Patient> {
    return this.#refusalsAudited(caller, 'update', rawId, async () => {
      assertRole(caller.user, patientRoles.update);
      const id = parseId(rawId, 'patient');
      const existing = await this.#models.Patient.findById(id).lean();
      if (!existing) throw new AppError('NOT_FOUND', { en: 'No such patient.', ar: 'هذا المريض غير موجود.' });
      await this.#access.assertPatientClinical(caller.user, existing);
      const update: Record<string, unknown> = { ...changes };
      if (changes.mrn) update.mrn = changes.mrn.toUpperCase();
      if (changes.name) update.searchTerms = searchTermsOf([changes.name.ar, changes.name.latin]);
      const doc = await this.#models.Patient.findByIdAndUpdate(id, update, {
        returnDocument: 'after',
      }).lean();
      if (!doc) throw new AppError('NOT_FOUND', { en: 'No such patient.', ar: 'هذا المريض غير موجود.' });
      await this.#audit.record(
        caller.actor,
        this.#event('update', id, `changed ${Object.keys(changes).join(', ')}`),
      );
      if (appointmentPatientFields.some((field) => field in changes)) {
        // The copies schedules list, once the change is audited. A failure here fails the call, and sending
        // the same change again rewrites them (the patient's record already holds it).
        await this.#models.Appointment.updateMany(
          { patientId: doc._id },
          { $set: { patient: appointmentPatientOf(doc) } },
          { timestamps: false },
        );
      }
      return toApi<Patient>(doc);
    });
  }

  #event(action: AuditEntry['action'], id: string, reason?: string): AuditEntry {
    return { action, resourceType: 'patient', resourceId: id, patientId: id, outcome: 'success', reason };
  }

  /** Audits a refusal as the API names it (`patients`), whoever called (see auditRefusals). */
  #refusalsAudited<T>(
    caller: Caller,
    action: AuditEntry['action'],
    id: string | undefined,
    work: () => Promise<T>,
  ) {
    const subject = { action, resourceType: 'patients', resourceId: id, patientId: id };
    return auditRefusals(this.#audit, caller.actor, subject, work);
  }
}

function withoutClinicalFields(patient: Patient): PatientDemographics {
  const { allergies: _a, chronicConditions: _c, currentMedications: _m, ...demographics } = patient;
  return demographics;
}
