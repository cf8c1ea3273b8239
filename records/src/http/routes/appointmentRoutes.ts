import {
  AppError,
  type Appointment,
  type AppointmentStatus,
  type AuthenticatedUser,
  appointmentCreateSchema,
  appointmentListQuerySchema,
  appointmentStatusChangeSchema,
  appointmentTransitions,
  defaultTimeZone,
  pageQuerySchema,
  urgentRequestSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AccessPolicy } from '../../access/AccessPolicy.js';
import type { AuditEntry } from '../../audit/AuditLog.js';
import { findPage } from '../../db/findPage.js';
import type { RecordsContext } from '../../RecordsContext.js';
import {
  type AppointmentPatient,
  appointmentPatientOf,
  appointmentPatientProjection,
} from '../../scheduling/appointmentPatient.js';
import { checkAvailability, dayBounds } from '../../scheduling/availabilityCheck.js';
import { DatabaseLock, type LockDocument } from '../../scheduling/DatabaseLock.js';
import { actorOf, currentUser, requireRole } from '../requestContext.js';
import { toApi } from '../serialize.js';
import { parseId, parseInput } from '../validate.js';

/** An appointment names a patient and why they need care: every read or change of one is audited. */
function appointmentEvent(
  action: AuditEntry['action'],
  appointmentId: Types.ObjectId | string,
  patientId: Types.ObjectId | string,
  reason?: string,
): AuditEntry {
  return {
    action,
    resourceType: 'appointment',
    resourceId: String(appointmentId),
    patientId: String(patientId),
    outcome: 'success',
    reason,
  };
}

/** An appointment as stored (what the list reads through the driver). */
type AppointmentDocument = { _id: Types.ObjectId; patientId: Types.ObjectId } & Record<string, unknown>;

type PatientRow = AppointmentPatient & { _id: Types.ObjectId };

function readOf(doc: { _id: Types.ObjectId; patientId: Types.ObjectId }, reason: string): AuditEntry {
  return appointmentEvent('read', doc._id, doc.patientId, reason);
}

const activeStatuses: AppointmentStatus[] = ['scheduled', 'waiting', 'in-progress'];
const onDemandMinutes = 30;

/** Who may move an appointment into each status. */
const statusRoles: Record<AppointmentStatus, AuthenticatedUser['role'][]> = {
  scheduled: [],
  waiting: ['clinic_doctor', 'administrator'],
  'in-progress': ['specialist'],
  completed: ['specialist'],
  cancelled: ['clinic_doctor', 'administrator'],
  'no-show': ['clinic_doctor', 'administrator', 'specialist'],
};

/** Scheduling: booking with availability and double-booking checks, the status lifecycle, the urgent queue. */
export function appointmentRoutes(
  ctx: RecordsContext,
  access: AccessPolicy,
): { appointments: Router; urgent: Router } {
  const { models, audit } = ctx;
  const appointments = Router();
  const urgent = Router();
  const bookingLock = new DatabaseLock(models.Appointment.db.collection<LockDocument>('bookinglocks'));

  /**
   * Rows keep a copy of who their patient is; those booked before the copy was kept get it with one query
   * for the page.
   */
  async function withPatients(items: Appointment[]): Promise<Appointment[]> {
    const ids = [...new Set(items.filter((a) => !a.patient).map((a) => a.patientId))];
    if (ids.length === 0) return items;
    const patients = await findPage<PatientRow>(models.Patient, {
      filter: { _id: { $in: ids.map((value) => new Types.ObjectId(value)) } },
      projection: appointmentPatientProjection,
      limit: ids.length,
    });
    const byId = new Map(patients.map((p) => [p._id.toHexString(), appointmentPatientOf(p)]));
    return items.map((a) => {
      const patient = a.patient ? undefined : byId.get(a.patientId);
      return patient ? { ...a, patient } : a;
    });
  }

  async function specialtyOf(user: AuthenticatedUser): Promise<string | undefined> {
    if (user.role !== 'specialist') return undefined;
    return (await models.User.findById(user.id, { specialty: 1 }).lean())?.specialty ?? undefined;
  }

  /** Why a specialist cannot take [start, end), or null when they can. */
  async function whyUnavailable(
    specialistId: Types.ObjectId | string,
    start: Date,
    end: Date,
  ): Promise<string | null> {
    const rules = await models.Availability.findOne({ specialistId }).lean();
    if (!rules) return 'The specialist has no consultation hours set.';
    const verdict = checkAvailability(rules, start, end);
    if (!verdict.ok) return verdict.reason;
    const clash = await models.Appointment.findOne({
      specialistId,
      status: { $in: activeStatuses },
      start: { $lt: end },
      end: { $gt: start },
    }).lean();
    if (clash) {
      return `The specialist is already booked from ${clash.start.toISOString()} to ${clash.end.toISOString()}.`;
    }
    return null;
  }

  appointments.post('/', async (req, res) => {
    const user = requireRole(req, 'administrator', 'clinic_doctor');
    const input = parseInput(appointmentCreateSchema, req.body, 'appointment');
    if (user.role === 'clinic_doctor' && input.clinicId !== user.organizationId) {
      throw new AppError('FORBIDDEN', 'Clinic doctors book for their own clinic only.');
    }
    const patient = await access.patientOfClinic(
      user,
      input.patientId,
      input.clinicId,
      appointmentPatientProjection,
    );
    const start = new Date(input.start);
    const end = new Date(input.end);
    if (start.getTime() < Date.now() - 5 * 60_000) {
      throw new AppError('UNPROCESSABLE', 'An appointment cannot start in the past.');
    }
    const book = async () => {
      if (input.specialistId) {
        const specialist = await models.User.findOne({
          _id: input.specialistId,
          role: 'specialist',
          active: true,
        }).lean();
        if (!specialist) throw new AppError('VALIDATION_FAILED', 'specialistId: no such active specialist.');
        if (specialist.specialty !== input.specialty) {
          throw new AppError(
            'VALIDATION_FAILED',
            `specialistId: this specialist practises ${specialist.specialty}.`,
          );
        }
        const reason = await whyUnavailable(input.specialistId, start, end);
        if (reason) throw new AppError('CONFLICT', reason);
      } else {
        const candidates = await models.User.find(
          { role: 'specialist', active: true, specialty: input.specialty },
          { _id: 1 },
        ).lean();
        let free = false;
        for (const candidate of candidates) {
          if ((await whyUnavailable(candidate._id, start, end)) === null) {
            free = true;
            break;
          }
        }
        if (!free)
          throw new AppError('CONFLICT', `No ${input.specialty} specialist is available at that time.`);
      }
      return models.Appointment.create({
        ...input,
        patient: appointmentPatientOf(patient),
        kind: 'scheduled',
        start,
        end,
        status: 'scheduled',
        statusHistory: [{ status: 'scheduled', at: new Date(), by: user.id }],
        createdBy: user.id,
      });
    };
    const doc = await bookingLock.run(input.specialistId ?? `any:${input.specialty}`, book);
    await audit.record(actorOf(req), appointmentEvent('create', doc.id, input.patientId));
    res.status(201).json(toApi<Appointment>(doc.toObject()));
  });

  appointments.get('/', async (req, res) => {
    const scope = access.appointmentListScope(currentUser(req));
    const query = parseInput(appointmentListQuerySchema, req.query, 'query');
    const { page, limit } = parseInput(pageQuerySchema, req.query, 'query');
    // Cast here: the list goes straight through the driver (the specialist's and the clinic's busiest read).
    const id = (value: string) => new Types.ObjectId(value);
    const filter: Record<string, unknown> = {};
    if (query.status) filter.status = query.status;
    if (query.patientId) filter.patientId = id(query.patientId);
    if (query.clinicId) filter.clinicId = id(query.clinicId);
    if (query.specialistId) filter.specialistId = id(query.specialistId);
    Object.assign(filter, scope);
    const range: Record<string, Date> = {};
    if (query.date) {
      const bounds = dayBounds(query.date, defaultTimeZone);
      range.$gte = bounds.start;
      range.$lt = bounds.end;
    }
    if (query.from) range.$gte = new Date(query.from);
    if (query.to) range.$lt = new Date(query.to);
    if (Object.keys(range).length > 0) filter.start = range;
    const skip = (page - 1) * limit;
    const docs = await findPage<AppointmentDocument>(models.Appointment, {
      filter,
      sort: { start: 1, _id: 1 },
      skip,
      limit,
    });
    // A page that is not full tells the total (a specialist's day usually fits one page): count only otherwise.
    const counted =
      docs.length < limit && (docs.length > 0 || page === 1)
        ? undefined
        : models.Appointment.countDocuments(filter);
    const [items, total] = await Promise.all([
      withPatients(docs.map((d) => toApi<Appointment>(d))),
      counted ?? skip + docs.length,
      audit.recordMany(
        actorOf(req),
        docs.map((d) => readOf(d, 'list')),
      ),
    ]);
    res.json({ items, page, limit, total, hasMore: page * limit < total });
  });

  appointments.get('/:id', async (req, res) => {
    const user = currentUser(req);
    const doc = await models.Appointment.findById(parseId(req.params.id, 'appointment')).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such appointment.');
    access.assertAppointment(user, doc, await specialtyOf(user));
    await audit.record(
      actorOf(req),
      appointmentEvent('read', doc._id.toHexString(), doc.patientId.toHexString()),
    );
    res.json(toApi<Appointment>(doc));
  });

  appointments.post('/:id/status', async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id, 'appointment');
    const { status, note } = parseInput(appointmentStatusChangeSchema, req.body, 'status change');
    const doc = await models.Appointment.findById(id).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such appointment.');
    const specialty = await specialtyOf(user);
    access.assertAppointment(user, doc, specialty);
    if (!statusRoles[status].includes(user.role)) {
      throw new AppError('FORBIDDEN', `A ${user.role} cannot set an appointment to ${status}.`);
    }
    const from = doc.status as AppointmentStatus;
    if (!appointmentTransitions[from].includes(status)) {
      throw new AppError('UNPROCESSABLE', `An appointment that is ${from} cannot become ${status}.`);
    }
    const now = new Date();
    const set: Record<string, unknown> = { status };
    if (status === 'in-progress') {
      set.specialistJoinedAt = now;
      if (!doc.specialistId) set.specialistId = user.id;
    }
    if (status === 'completed') set.completedAt = now;
    // Conditional on the status we read: two people changing it at once cannot both win.
    const updated = await models.Appointment.findOneAndUpdate(
      { _id: id, status: from },
      { $set: set, $push: { statusHistory: { status, at: now, by: user.id, note } }, $inc: { __v: 1 } },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) throw new AppError('STALE_WRITE');
    if (status === 'in-progress' && !doc.specialistId) {
      await models.Consultation.updateOne({ appointmentId: id }, { $set: { specialistId: user.id } });
    }
    await audit.record(
      actorOf(req),
      appointmentEvent('update', id, doc.patientId.toHexString(), `${from} → ${status}`),
    );
    res.json(toApi<Appointment>(updated));
  });

  urgent.post('/', async (req, res) => {
    const user = requireRole(req, 'clinic_doctor');
    const input = parseInput(urgentRequestSchema, req.body, 'urgent request');
    const patient = await access.patientOfClinic(
      user,
      input.patientId,
      user.organizationId,
      appointmentPatientProjection,
    );
    const now = new Date();
    const doc = await models.Appointment.create({
      ...input,
      patient: appointmentPatientOf(patient),
      kind: 'on-demand',
      clinicId: user.organizationId,
      start: now,
      end: new Date(now.getTime() + onDemandMinutes * 60_000),
      priority: 'urgent',
      status: 'waiting',
      statusHistory: [{ status: 'waiting', at: now, by: user.id, note: 'urgent request' }],
      createdBy: user.id,
    });
    await audit.record(actorOf(req), appointmentEvent('create', doc.id, input.patientId, 'urgent request'));
    res.status(201).json(toApi<Appointment>(doc.toObject()));
  });

  urgent.get('/', async (req, res) => {
    const user = requireRole(req, 'specialist', 'administrator');
    const { specialty: asked } = parseInput(
      z.object({ specialty: z.string().max(64).optional() }),
      req.query,
      'query',
    );
    const specialty = user.role === 'specialist' ? await specialtyOf(user) : asked;
    const docs = await models.Appointment.find({
      kind: 'on-demand',
      status: 'waiting',
      specialistId: { $exists: false },
      ...(specialty ? { specialty } : {}),
    })
      .sort({ createdAt: 1 })
      .limit(100)
      .lean();
    await audit.recordMany(
      actorOf(req),
      docs.map((d) => readOf(d, 'urgent queue')),
    );
    res.json({ items: await withPatients(docs.map((d) => toApi<Appointment>(d))) });
  });

  urgent.post('/:id/pick', async (req, res) => {
    const user = requireRole(req, 'specialist');
    const id = parseId(req.params.id, 'urgent request');
    const specialty = await specialtyOf(user);
    const picked = await models.Appointment.findOneAndUpdate(
      { _id: id, kind: 'on-demand', status: 'waiting', specialistId: { $exists: false }, specialty },
      { $set: { specialistId: user.id }, $inc: { __v: 1 } },
      { returnDocument: 'after' },
    ).lean();
    if (!picked) {
      const request = await models.Appointment.findOne(
        { _id: id, kind: 'on-demand' },
        { specialty: 1 },
      ).lean();
      if (!request) throw new AppError('NOT_FOUND', 'No such urgent request.');
      // Not a race lost but a request that was never theirs: a refusal, audited as such.
      if (request.specialty !== specialty) {
        throw new AppError('FORBIDDEN', `This urgent request is for ${request.specialty} specialists.`);
      }
      throw new AppError('CONFLICT', 'Another specialist has already taken this request.');
    }
    await audit.record(
      actorOf(req),
      appointmentEvent('update', id, picked.patientId.toHexString(), 'picked from the urgent queue'),
    );
    res.json(toApi<Appointment>(picked));
  });

  return { appointments, urgent };
}
