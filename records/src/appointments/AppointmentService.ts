import {
  AppError,
  type Appointment,
  type AppointmentCreate,
  type AppointmentStatus,
  type AuthenticatedUser,
  type appointmentListQuerySchema,
  defaultTimeZone,
  type LocalizedMessage,
  type PageQuery,
  specialtyName,
  type UrgentRequest,
} from '@telemed/shared';
import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import type { z } from 'zod';
import type { AccessPolicy } from '../access/AccessPolicy.js';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import { parseId } from '../api/validate.js';
import type { AuditActor } from '../audit/AuditActor.js';
import type { AuditEntry, AuditLog } from '../audit/AuditLog.js';
import { auditRefusals } from '../audit/auditRefusals.js';
import { findPage } from '../db/findPage.js';
import type { Models } from '../models/registerModels.js';
import { appointmentFor, toAppointment } from './appointmentAnswer.js';
import { appointmentEvent, appointmentReadOf } from './appointmentAudit.js';
import {
  type AppointmentPatient,
  appointmentPatientOf,
  appointmentPatientProjection,
} from './appointmentPatient.js';
import { checkAvailability, dayBounds } from './availabilityCheck.js';
import { DatabaseLock, type LockDocument } from './DatabaseLock.js';
import { overlappingFilter } from './specialistBusyTimes.js';
import { assertTransition } from './statusTransitions.js';

/** Who may do what; routes check them first, before reading any input. */
export const appointmentRoles = {
  list: ['clinic_doctor', 'specialist', 'administrator'],
  book: ['administrator', 'clinic_doctor'],
  requestUrgent: ['clinic_doctor'],
  urgentQueue: ['specialist', 'administrator'],
  pick: ['specialist'],
} as const;

export type AppointmentListQuery = z.infer<typeof appointmentListQuerySchema>;

export interface AppointmentPage {
  items: Appointment[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
}

/** An appointment as stored (what the list reads through the driver). */
type AppointmentDocument = { _id: Types.ObjectId; patientId: Types.ObjectId } & Record<string, unknown>;

/** What moving an appointment along its lifecycle needs of it, as read with `.lean()`. */
export interface StoredAppointment {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  patientId: Types.ObjectId;
  specialistId?: Types.ObjectId | null | undefined;
  specialty: string;
  kind: string;
  status: string;
  invitations?: { specialistId: Types.ObjectId }[] | null | undefined;
}

type PatientRow = AppointmentPatient & { _id: Types.ObjectId };

const onDemandMinutes = 30;
/** Clocks drift and forms take time to fill: a booking may start this much in the past. */
const pastGraceMs = 5 * 60_000;

/**
 * Scheduling: booking with availability and double-booking checks, the status lifecycle, the urgent queue.
 * Every read and change is audited here, whoever calls: a route, signaling, a worker.
 */
export class AppointmentService {
  readonly #models: Models;
  readonly #audit: AuditLog;
  readonly #access: AccessPolicy;
  readonly #bookingLock: DatabaseLock;

  constructor(deps: { models: Models; audit: AuditLog; access: AccessPolicy }) {
    this.#models = deps.models;
    this.#audit = deps.audit;
    this.#access = deps.access;
    this.#bookingLock = new DatabaseLock(deps.models.Appointment.db.collection<LockDocument>('bookinglocks'));
  }

  /**
   * Books a patient of the caller's clinic with a specialist (or any of a specialty) who has the hours free.
   * The check and the insert run under one lock per specialist (or specialty), across processes: two
   * bookings of the same slot cannot both pass the check.
   */
  async book({ user, actor }: Caller, input: AppointmentCreate): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'create', 'appointments', undefined, async () => {
      assertRole(user, appointmentRoles.book);
      if (user.role === 'clinic_doctor' && input.clinicId !== user.organizationId) {
        throw new AppError('FORBIDDEN', {
          en: 'Clinic doctors book for their own clinic only.',
          ar: 'يحجز طبيب الوحدة الصحية لمرضى وحدته فقط.',
        });
      }
      const patient = await this.#access.patientOfClinic(
        user,
        input.patientId,
        input.clinicId,
        appointmentPatientProjection,
      );
      const start = new Date(input.start);
      const end = new Date(input.end);
      if (start.getTime() < Date.now() - pastGraceMs) {
        throw new AppError('UNPROCESSABLE', {
          en: 'An appointment cannot start in the past.',
          ar: 'لا يمكن أن يبدأ الموعد في وقت مضى؛ اختر وقتاً لاحقاً.',
        });
      }
      const book = async () => {
        if (input.specialistId)
          await this.#assertSpecialistFree(input.specialistId, input.specialty, start, end);
        else await this.#assertSpecialtyFree(input.specialty, start, end);
        return this.#models.Appointment.create({
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
      const doc = await this.#bookingLock.run(input.specialistId ?? `any:${input.specialty}`, book);
      await this.#audit.record(actor, appointmentEvent('create', doc.id, input.patientId));
      return appointmentFor(user, toAppointment(doc.toObject()));
    });
  }

  /** The appointments the caller may see, filtered by `query`, a page at a time. */
  async list(
    { user, actor }: Caller,
    query: AppointmentListQuery,
    { page, limit }: PageQuery,
  ): Promise<AppointmentPage> {
    return this.#refusalsAudited(actor, 'read', 'appointments', undefined, async () => {
      const scope = this.#access.appointmentListScope(user);
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
      const docs = await findPage<AppointmentDocument>(this.#models.Appointment, {
        filter,
        sort: { start: 1, _id: 1 },
        skip,
        limit,
      });
      // A page that is not full tells the total (a specialist's day usually fits one page): count only otherwise.
      const counted =
        docs.length < limit && (docs.length > 0 || page === 1)
          ? undefined
          : this.#models.Appointment.countDocuments(filter);
      const [items, total] = await Promise.all([
        this.#withPatients(docs.map((d) => toAppointment(d))),
        counted ?? skip + docs.length,
        this.#audit.recordMany(
          actor,
          docs.map((d) => appointmentReadOf(d, 'list')),
        ),
      ]);
      return {
        items: items.map((a) => appointmentFor(user, a)),
        page,
        limit,
        total,
        hasMore: page * limit < total,
      };
    });
  }

  async read({ user, actor }: Caller, rawId: string): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'read', 'appointments', rawId, async () => {
      const doc = await this.#models.Appointment.findById(parseId(rawId, 'appointment')).lean();
      if (!doc) throw new AppError('NOT_FOUND', { en: 'No such appointment.', ar: 'هذا الموعد غير موجود.' });
      this.#access.assertAppointment(user, doc, await this.#specialtyOf(user));
      await this.#audit.record(
        actor,
        appointmentEvent('read', doc._id.toHexString(), doc.patientId.toHexString()),
      );
      const callRole = this.#access.callRoleIfAny(user, doc);
      const appointment = appointmentFor(user, toAppointment(doc));
      return callRole ? { ...appointment, callRole } : appointment;
    });
  }

  /**
   * Moves an appointment along its lifecycle (see assertTransition). The specialist who starts it is
   * recorded on it, and on its consultation, when it was booked for any specialist of the specialty.
   */
  async changeStatus(
    { user, actor }: Caller,
    rawId: string,
    change: { status: AppointmentStatus; note?: string | undefined },
  ): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'create', 'appointments', rawId, async () => {
      const doc = await this.#models.Appointment.findById(parseId(rawId, 'appointment')).lean();
      if (!doc) throw new AppError('NOT_FOUND', { en: 'No such appointment.', ar: 'هذا الموعد غير موجود.' });
      this.#access.assertAppointmentManager(user, doc, await this.#specialtyOf(user));
      return this.#moveStatus({ user, actor }, doc, change, []);
    });
  }

  /**
   * What a call does to its appointment (CallService): moves `doc`, as just read, along its lifecycle by the
   * same rules as changeStatus, and audits the call event that moved it (`callEvent`) with the change, in one
   * write. Only the appointment's clinic and booked specialist manage it from a call: no specialty is looked
   * up. Refusals are the caller's to audit.
   */
  moveForCall(
    caller: Caller,
    doc: StoredAppointment,
    change: { status: AppointmentStatus; note: string },
    callEvent: AuditEntry,
  ): Promise<Appointment> {
    this.#access.assertAppointmentManager(caller.user, doc);
    return this.#moveStatus(caller, doc, change, [callEvent]);
  }

  async #moveStatus(
    { user, actor }: Caller,
    doc: StoredAppointment,
    { status, note }: { status: AppointmentStatus; note?: string | undefined },
    alsoAudited: AuditEntry[],
  ): Promise<Appointment> {
    const id = doc._id;
    const from = doc.status as AppointmentStatus;
    assertTransition(user.role, from, status);
    const now = new Date();
    const set: Record<string, unknown> = { status };
    if (status === 'in-progress') {
      set.specialistJoinedAt = now;
      if (!doc.specialistId) set.specialistId = user.id;
    }
    if (status === 'completed') set.completedAt = now;
    // Conditional on the status we read: two people changing it at once cannot both win.
    const updated = await this.#models.Appointment.findOneAndUpdate(
      { _id: id, status: from },
      { $set: set, $push: { statusHistory: { status, at: now, by: user.id, note } }, $inc: { __v: 1 } },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) throw new AppError('STALE_WRITE');
    if (status === 'in-progress' && !doc.specialistId) {
      await this.#models.Consultation.updateOne({ appointmentId: id }, { $set: { specialistId: user.id } });
    }
    await this.#audit.recordMany(actor, [
      ...alsoAudited,
      appointmentEvent('update', id, doc.patientId.toHexString(), `${from} → ${status}`),
    ]);
    return appointmentFor(user, toAppointment(updated));
  }

  /** An on-demand request of the caller's clinic: it waits in the specialty's queue, starting now. */
  async requestUrgent({ user, actor }: Caller, input: UrgentRequest): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'create', 'urgent-requests', undefined, async () => {
      assertRole(user, appointmentRoles.requestUrgent);
      const patient = await this.#access.patientOfClinic(
        user,
        input.patientId,
        user.organizationId,
        appointmentPatientProjection,
      );
      const now = new Date();
      const doc = await this.#models.Appointment.create({
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
      await this.#audit.record(actor, appointmentEvent('create', doc.id, input.patientId, 'urgent request'));
      return toAppointment(doc.toObject());
    });
  }

  /**
   * The urgent requests nobody has taken, oldest first: a specialist's own specialty, or the one an
   * administrator asks for (all when none).
   */
  async urgentQueue({ user, actor }: Caller, askedSpecialty?: string): Promise<Appointment[]> {
    return this.#refusalsAudited(actor, 'read', 'urgent-requests', undefined, async () => {
      assertRole(user, appointmentRoles.urgentQueue);
      const specialty = user.role === 'specialist' ? await this.#specialtyOf(user) : askedSpecialty;
      const docs = await this.#models.Appointment.find({
        kind: 'on-demand',
        status: 'waiting',
        specialistId: { $exists: false },
        ...(specialty ? { specialty } : {}),
      })
        .sort({ createdAt: 1 })
        .limit(100)
        .lean();
      await this.#audit.recordMany(
        actor,
        docs.map((d) => appointmentReadOf(d, 'urgent queue')),
      );
      const items = await this.#withPatients(docs.map((d) => toAppointment(d)));
      return items.map((a) => appointmentFor(user, a));
    });
  }

  /** Takes an urgent request of the specialist's specialty, unless another specialist took it first. */
  async pick({ user, actor }: Caller, rawId: string): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'create', 'urgent-requests', rawId, async () => {
      assertRole(user, appointmentRoles.pick);
      const id = parseId(rawId, 'urgent request');
      const specialty = await this.#specialtyOf(user);
      const picked = await this.#models.Appointment.findOneAndUpdate(
        { _id: id, kind: 'on-demand', status: 'waiting', specialistId: { $exists: false }, specialty },
        { $set: { specialistId: user.id }, $inc: { __v: 1 } },
        { returnDocument: 'after' },
      ).lean();
      if (!picked) {
        const request = await this.#models.Appointment.findOne(
          { _id: id, kind: 'on-demand' },
          { specialty: 1 },
        ).lean();
        if (!request)
          throw new AppError('NOT_FOUND', {
            en: 'No such urgent request.',
            ar: 'هذا الطلب العاجل غير موجود.',
          });
        // Not a race lost but a request that was never theirs: a refusal, audited as such.
        if (request.specialty !== specialty) {
          throw new AppError('FORBIDDEN', {
            en: `This urgent request is for ${request.specialty} specialists.`,
            ar: `هذا الطلب العاجل موجّه لأطباء تخصص ${specialtyName(request.specialty, 'ar')}.`,
          });
        }
        throw new AppError('CONFLICT', {
          en: 'Another specialist has already taken this request.',
          ar: 'تولّى طبيب استشاري آخر هذا الطلب بالفعل.',
        });
      }
      await this.#audit.record(
        actor,
        appointmentEvent('update', id, picked.patientId.toHexString(), 'picked from the urgent queue'),
      );
      return toAppointment(picked);
    });
  }

  async #assertSpecialistFree(
    specialistId: string,
    specialty: string,
    start: Date,
    end: Date,
  ): Promise<void> {
    const specialist = await this.#models.User.findOne({
      _id: specialistId,
      role: 'specialist',
      active: true,
    }).lean();
    if (!specialist)
      throw new AppError('VALIDATION_FAILED', {
        en: 'specialistId: no such active specialist.',
        ar: 'specialistId: لا يوجد طبيب استشاري نشط بهذا المعرّف؛ اختره من القائمة.',
      });
    if (specialist.specialty !== specialty) {
      throw new AppError('VALIDATION_FAILED', {
        en: `specialistId: this specialist practises ${specialist.specialty}.`,
        ar: `specialistId: تخصص هذا الطبيب الاستشاري ${specialtyName(specialist.specialty ?? '', 'ar')}؛ اختر طبيباً من التخصص المطلوب.`,
      });
    }
    const reason = await this.#whyUnavailable(specialistId, start, end);
    if (reason) throw new AppError('CONFLICT', reason);
  }

  async #assertSpecialtyFree(specialty: string, start: Date, end: Date): Promise<void> {
    const candidates = await this.#models.User.find(
      { role: 'specialist', active: true, specialty },
      { _id: 1 },
    ).lean();
    for (const candidate of candidates) {
      if ((await this.#whyUnavailable(candidate._id, start, end)) === null) return;
    }
    throw new AppError('CONFLICT', {
      en: `No ${specialty} specialist is available at that time.`,
      ar: `لا يوجد طبيب استشاري متاح من تخصص ${specialtyName(specialty, 'ar')} في هذا الوقت؛ اختر وقتاً آخر.`,
    });
  }

  /** Why a specialist cannot take [start, end), or null when they can. */
  async #whyUnavailable(
    specialistId: Types.ObjectId | string,
    start: Date,
    end: Date,
  ): Promise<LocalizedMessage | null> {
    const rules = await this.#models.Availability.findOne({ specialistId }).lean();
    if (!rules)
      return {
        en: 'The specialist has no consultation hours set.',
        ar: 'لم يحدد الطبيب الاستشاري ساعات الاستشارة بعد؛ اختر طبيباً آخر.',
      };
    const verdict = checkAvailability(rules, start, end);
    if (!verdict.ok) return verdict.reason;
    const clash = await this.#models.Appointment.findOne(overlappingFilter(specialistId, start, end)).lean();
    if (clash) {
      // A person reads the clash in the hospital's wall-clock time, as they chose the slot, not in UTC.
      const local = (at: Date) => DateTime.fromJSDate(at, { zone: rules.timeZone });
      const from = local(clash.start);
      const day = from.toISODate();
      const span = `${from.toFormat('HH:mm')}–${local(clash.end).toFormat('HH:mm')}`;
      return {
        en: `The specialist is already booked ${span} on ${day} (${rules.timeZone}).`,
        ar: `الطبيب الاستشاري محجوز ${span} يوم ${day} (${rules.timeZone})؛ اختر وقتاً آخر.`,
      };
    }
    return null;
  }

  async #specialtyOf(user: AuthenticatedUser): Promise<string | undefined> {
    if (user.role !== 'specialist') return undefined;
    return (await this.#models.User.findById(user.id, { specialty: 1 }).lean())?.specialty ?? undefined;
  }

  /**
   * Rows keep a copy of who their patient is; those booked before the copy was kept get it with one query
   * for the page.
   */
  async #withPatients(items: Appointment[]): Promise<Appointment[]> {
    const ids = [...new Set(items.filter((a) => !a.patient).map((a) => a.patientId))];
    if (ids.length === 0) return items;
    const patients = await findPage<PatientRow>(this.#models.Patient, {
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

  /** Runs a call, auditing its refusal as the API names it (see auditRefusals). */
  #refusalsAudited<T>(
    actor: AuditActor,
    action: AuditEntry['action'],
    resourceType: 'appointments' | 'urgent-requests',
    resourceId: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    return auditRefusals(this.#audit, actor, { action, resourceType, resourceId }, work);
  }
}
