import {
  AppError,
  type Page,
  type Patient,
  type PatientSummary,
  pageQuerySchema,
  patientInputSchema,
  patientSearchQuerySchema,
  patientUpdateSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { Types } from 'mongoose';
import type { AccessPolicy } from '../../access/AccessPolicy.js';
import { toApi } from '../../api/serialize.js';
import { parseId, parseInput } from '../../api/validate.js';
import { appointmentPatientFields, appointmentPatientOf } from '../../appointments/appointmentPatient.js';
import { findPage } from '../../db/findPage.js';
import { searchKeyOf, searchTermsOf, searchWordsOf } from '../../patients/searchTerms.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { normalizeSearchText } from '../../text/normalizeSearchText.js';
import { actorOf, currentUser, requireRole } from '../requestContext.js';

const clinicalFields = ['allergies', 'chronicConditions', 'currentMedications'] as const;
const summaryProjection = { clinicId: 1, mrn: 1, nationalId: 1, name: 1, sex: 1, birthDate: 1, phone: 1 };
type PatientSummaryDocument = { _id: Types.ObjectId } & Record<string, unknown>;

/** Patients: clinic doctors register and search their clinic's; others see them through access rules. */
export function patientRoutes({ models, audit }: RecordsContext, access: AccessPolicy): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const scope = access.patientSearchScope(currentUser(req));
    const { q, clinicId } = parseInput(patientSearchQuerySchema, req.query, 'query');
    const { page, limit } = parseInput(pageQuerySchema, req.query, 'query');
    const filter: Record<string, unknown> = { ...scope };
    if (!scope.clinicId && clinicId) filter.clinicId = new Types.ObjectId(clinicId);
    const words = q ? searchWordsOf(q).map(searchKeyOf) : [];
    if (q && /^[23]\d{13}$/.test(q)) filter.nationalId = q;
    else if (q && /^[A-Za-z0-9-]+$/.test(q) && /\d/.test(q)) filter.mrn = q.toUpperCase();
    else if (words.length > 0) {
      // Every word must start a word of the name: "mohamed ali" finds "Mohamed Ahmed Ali". The longest word
      // is the most selective: it drives the index lookup, the others filter what it finds.
      const [first, ...others] = [...words].sort((a, b) => b.length - a.length);
      filter.searchTerms = first;
      if (others.length > 0) filter.$and = others.map((word) => ({ searchTerms: word }));
    }
    // No sort and no count: a common first name matches thousands, and ordering or counting them all costs
    // more than the page. Results come in index order; a person refines the words rather than paging far.
    // Straight through the driver: the busiest read of the clinic app, and its filter is already cast.
    const found = await findPage<PatientSummaryDocument>(models.Patient, {
      filter,
      projection: summaryProjection,
      skip: (page - 1) * limit,
      limit: limit + 1,
    });
    const hasMore = found.length > limit;
    const docs = found.slice(0, limit);
    const items = docs.map((doc) => toApi<PatientSummary>(doc));
    const reason = q ? `search "${normalizeSearchText(q).slice(0, 40)}"` : 'list';
    await audit.recordMany(
      actorOf(req),
      docs.map((doc) => {
        const id = doc._id.toHexString();
        return {
          action: 'read' as const,
          resourceType: 'patient',
          resourceId: id,
          patientId: id,
          outcome: 'success' as const,
          reason,
        };
      }),
    );
    const body: Page<PatientSummary> = { items, page, limit, hasMore };
    res.json(body);
  });

  router.post('/', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor');
    const input = parseInput(patientInputSchema, req.body, 'patient');
    const doc = await models.Patient.create({
      ...input,
      mrn: input.mrn.toUpperCase(),
      clinicId: user.organizationId,
      searchTerms: searchTermsOf([input.name.ar, input.name.latin]),
    });
    await audit.record(actorOf(req), {
      action: 'create',
      resourceType: 'patient',
      resourceId: doc.id,
      patientId: doc.id,
      outcome: 'success',
    });
    res.status(201).json(toApi<Patient>(doc.toObject()));
  });

  router.get('/:id', async (req, res) => {
    const user = currentUser(req);
    const doc = await models.Patient.findById(parseId(req.params.id, 'patient')).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such patient.');
    await access.assertPatientDemographics(user, doc);
    const patient = toApi<Patient>(doc);
    await audit.record(actorOf(req), {
      action: 'read',
      resourceType: 'patient',
      resourceId: patient.id,
      patientId: patient.id,
      outcome: 'success',
    });
    res.json(user.role === 'administrator' ? withoutClinicalFields(patient) : patient);
  });

  router.patch('/:id', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor');
    const id = parseId(req.params.id, 'patient');
    const changes = parseInput(patientUpdateSchema, req.body, 'patient changes');
    const existing = await models.Patient.findById(id).lean();
    if (!existing) throw new AppError('NOT_FOUND', 'No such patient.');
    await access.assertPatientClinical(user, existing);
    const update: Record<string, unknown> = { ...changes };
    if (changes.mrn) update.mrn = changes.mrn.toUpperCase();
    if (changes.name) update.searchTerms = searchTermsOf([changes.name.ar, changes.name.latin]);
    const doc = await models.Patient.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such patient.');
    await audit.record(actorOf(req), {
      action: 'update',
      resourceType: 'patient',
      resourceId: id,
      patientId: id,
      outcome: 'success',
      reason: `changed ${Object.keys(changes).join(', ')}`,
    });
    if (appointmentPatientFields.some((field) => field in changes)) {
      // The copies schedules list, once the change is audited. A failure here fails the request, and sending
      // the same change again rewrites them (the patient's record already holds it).
      await models.Appointment.updateMany(
        { patientId: doc._id },
        { $set: { patient: appointmentPatientOf(doc) } },
        { timestamps: false },
      );
    }
    res.json(toApi<Patient>(doc));
  });

  return router;
}

/** What an administrator may see of a patient: identity for scheduling, no clinical fields. */
type PatientDemographics = Omit<Patient, (typeof clinicalFields)[number]>;

function withoutClinicalFields(patient: Patient): PatientDemographics {
  const { allergies: _a, chronicConditions: _c, currentMedications: _m, ...demographics } = patient;
  return demographics;
}
