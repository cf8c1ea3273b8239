import {
  AppError,
  type Appointment,
  type AppointmentStatus,
  appointmentStatusName,
  type CallEventInput,
  type CallEventKind,
  type CallRole,
  type ErrorCode,
  maxCallInvitations,
} from '@telemed/shared';
import { Types } from 'mongoose';
import type { AccessPolicy } from '../access/AccessPolicy.js';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import { parseId } from '../api/validate.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRefusals } from '../audit/auditRefusals.js';
import type { Models } from '../models/registerModels.js';
import type { AppointmentService } from './AppointmentService.js';
import { toAppointment } from './appointmentAnswer.js';
import { appointmentEvent } from './appointmentAudit.js';

/** Who may do what in a call; routes check them first, before reading any input. */
export const callRoles = {
  invite: ['specialist'],
  events: ['clinic_doctor', 'specialist'],
} as const;

/**
 * The refusals of a call event that are audited: who may not be in the call (FORBIDDEN), and a step its
 * appointment's lifecycle does not allow (UNPROCESSABLE: an admission into a cancelled appointment's call).
 */
const callRefusalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['FORBIDDEN', 'UNPROCESSABLE']);

/**
 * How a call event moves its appointment, if at all: the clinic's join of a scheduled appointment puts it in
 * the waiting room (a join into one already waiting or started moves nothing), the first admission starts it,
 * the end completes it. Whether the move is allowed is AppointmentService's to say.
 */
function statusMoveOf(
  kind: CallEventKind,
  callRole: CallRole,
  status: AppointmentStatus,
): { status: AppointmentStatus; note: string } | undefined {
  if (kind === 'joined' && callRole === 'clinic' && status === 'scheduled') {
    return { status: 'waiting', note: 'The clinic entered the waiting room.' };
  }
  if (kind === 'admitted' && status !== 'in-progress') {
    return { status: 'in-progress', note: 'The specialist admitted the clinic.' };
  }
  if (kind === 'ended') return { status: 'completed', note: 'The specialist ended the consultation.' };
  return undefined;
}

/** A call is over once its appointment is: nobody is invited into it, nobody joins or is admitted. */
const finalStatuses: readonly AppointmentStatus[] = ['completed', 'cancelled', 'no-show'];

/**
 * The call of an appointment, as records knows it: who may be in it (its clinic, its booked specialist and
 * the specialists that one invited) and what happened in it, for the audit trail. Signaling runs the call
 * and asks here with the acting user's own token; the rules live in AccessPolicy.
 */
export class CallService {
  readonly #models: Models;
  readonly #audit: AuditLog;
  readonly #access: AccessPolicy;
  readonly #appointments: AppointmentService;

  constructor(deps: {
    models: Models;
    audit: AuditLog;
    access: AccessPolicy;
    appointments: AppointmentService;
  }) {
    this.#models = deps.models;
    this.#audit = deps.audit;
    this.#access = deps.access;
    this.#appointments = deps.appointments;
  }

  /** The booked specialist invites another active specialist (any specialty) into the call. */
  async invite({ user, actor }: Caller, rawId: string, rawSpecialistId: string): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'create', rawId, async () => {
      assertRole(user, callRoles.invite);
      const id = parseId(rawId, 'appointment');
      const doc = await this.#find(id);
      this.#access.assertCallHost(user, doc);
      this.#assertOpen(doc.status as AppointmentStatus);
      const specialistId = new Types.ObjectId(parseId(rawSpecialistId, 'specialist'));
      if (specialistId.equals(user.id)) {
        throw new AppError('VALIDATION_FAILED', {
          en: 'specialistId: you are already in this call.',
          ar: 'specialistId: أنت مشارك في هذه المكالمة بالفعل.',
        });
      }
      const invitee = await this.#models.User.exists({ _id: specialistId, role: 'specialist', active: true });
      if (!invitee)
        throw new AppError('VALIDATION_FAILED', {
          en: 'specialistId: no such active specialist.',
          ar: 'specialistId: لا يوجد طبيب استشاري نشط بهذا المعرّف؛ اختره من القائمة.',
        });
      // Conditional on what was checked: a concurrent completion, a second invitation of the same specialist,
      // or one past the limit cannot slip in between the read and the write.
      const updated = await this.#models.Appointment.findOneAndUpdate(
        {
          _id: id,
          specialistId: new Types.ObjectId(user.id),
          status: { $nin: finalStatuses },
          'invitations.specialistId': { $ne: specialistId },
          [`invitations.${maxCallInvitations - 1}`]: { $exists: false },
        },
        {
          $push: { invitations: { specialistId, invitedBy: user.id, at: new Date() } },
          $inc: { __v: 1 },
        },
        { returnDocument: 'after' },
      ).lean();
      if (!updated) await this.#whyNotInvited(id, specialistId);
      await this.#audit.record(
        actor,
        appointmentEvent('create', id, doc.patientId, `call invitation: specialist ${specialistId} invited`),
      );
      return toAppointment(updated);
    });
  }

  /** The booked specialist withdraws an invitation: from then on the invited may not read nor chat. */
  async withdraw({ user, actor }: Caller, rawId: string, rawSpecialistId: string): Promise<Appointment> {
    return this.#refusalsAudited(actor, 'delete', rawId, async () => {
      assertRole(user, callRoles.invite);
      const id = parseId(rawId, 'appointment');
      const specialistId = new Types.ObjectId(parseId(rawSpecialistId, 'specialist'));
      const doc = await this.#find(id);
      this.#access.assertCallHost(user, doc);
      const updated = await this.#models.Appointment.findOneAndUpdate(
        { _id: id, 'invitations.specialistId': specialistId },
        { $pull: { invitations: { specialistId } }, $inc: { __v: 1 } },
        { returnDocument: 'after' },
      ).lean();
      if (!updated)
        throw new AppError('NOT_FOUND', {
          en: 'This specialist is not invited into this call.',
          ar: 'هذا الطبيب الاستشاري غير مدعو إلى هذه المكالمة.',
        });
      await this.#audit.record(
        actor,
        appointmentEvent(
          'delete',
          id,
          doc.patientId,
          `call invitation: specialist ${specialistId} withdrawn`,
        ),
      );
      return toAppointment(updated);
    });
  }

  /**
   * What happened in the call, once the caller is found to be in it: anyone who may be in the call joins and
   * leaves; only the booked specialist admits and ends. It is written to the audit trail and moves the
   * appointment as it implies, in one request (signaling makes one records call per step of the call): the
   * clinic's first join puts a scheduled appointment in the waiting room, an admission starts it, the end
   * completes it, by AppointmentService's rules. The event and the change are audited together; a refused
   * event moves nothing and is audited as a refusal. Answers the appointment with the caller's call role.
   */
  async recordEvent({ user, actor }: Caller, rawId: string, event: CallEventInput): Promise<Appointment> {
    return this.#refusalsAudited(
      actor,
      'update',
      rawId,
      async () => {
        assertRole(user, callRoles.events);
        const id = parseId(rawId, 'appointment');
        const doc = await this.#models.Appointment.findById(id).lean();
        if (!doc)
          throw new AppError('NOT_FOUND', { en: 'No such appointment.', ar: 'هذا الموعد غير موجود.' });
        const callRole = this.#access.callRole(user, doc);
        if (event.kind === 'admitted' || event.kind === 'ended') this.#access.assertCallHost(user, doc);
        const status = doc.status as AppointmentStatus;
        if (event.kind === 'joined' || event.kind === 'admitted') this.#assertOpen(status);
        const whom = event.participantId ? ` participant ${event.participantId}` : '';
        const audited = appointmentEvent(
          'update',
          id,
          doc.patientId,
          `call ${event.kind} (${callRole})${whom}`,
        );
        const move = statusMoveOf(event.kind, callRole, status);
        if (!move) {
          await this.#audit.record(actor, audited);
          return { ...toAppointment(doc), callRole };
        }
        const moved = await this.#appointments.moveForCall({ user, actor }, doc, move, audited);
        return { ...moved, callRole };
      },
      callRefusalCodes,
    );
  }

  async #find(id: string) {
    const doc = await this.#models.Appointment.findById(id, {
      clinicId: 1,
      patientId: 1,
      specialistId: 1,
      specialty: 1,
      kind: 1,
      status: 1,
      invitations: 1,
    }).lean();
    if (!doc) throw new AppError('NOT_FOUND', { en: 'No such appointment.', ar: 'هذا الموعد غير موجود.' });
    return doc;
  }

  #assertOpen(status: AppointmentStatus): void {
    if (finalStatuses.includes(status)) {
      throw new AppError('UNPROCESSABLE', {
        en: `The call of an appointment that is ${status} is over.`,
        ar: `انتهت مكالمة هذا الموعد، فحالته «${appointmentStatusName(status, 'ar')}».`,
      });
    }
  }

  /** Tells why the conditional invitation matched nothing; it always throws. */
  async #whyNotInvited(id: string, specialistId: Types.ObjectId): Promise<never> {
    const now = await this.#find(id);
    this.#assertOpen(now.status as AppointmentStatus);
    if ((now.invitations ?? []).some((i) => i.specialistId.equals(specialistId))) {
      throw new AppError('CONFLICT', {
        en: 'This specialist is already invited into this call.',
        ar: 'هذا الطبيب الاستشاري مدعو إلى هذه المكالمة بالفعل.',
      });
    }
    if ((now.invitations ?? []).length >= maxCallInvitations) {
      throw new AppError('UNPROCESSABLE', {
        en: `A call takes at most ${maxCallInvitations} invited specialists.`,
        ar: `تتسع المكالمة لـ${maxCallInvitations} أطباء استشاريين مدعوين على الأكثر.`,
      });
    }
    throw new AppError('STALE_WRITE');
  }

  #refusalsAudited<T>(
    actor: Caller['actor'],
    action: 'create' | 'update' | 'delete',
    id: string,
    work: () => Promise<T>,
    codes?: ReadonlySet<ErrorCode>,
  ) {
    return auditRefusals(
      this.#audit,
      actor,
      { action, resourceType: 'appointments', resourceId: id },
      work,
      codes,
    );
  }
}
