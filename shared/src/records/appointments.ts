import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { isoDateSchema, isoDateTimeSchema, longTextSchema } from './common.js';
import { specialtySchema } from './specialties.js';

export const appointmentStatusSchema = z.enum([
  'scheduled',
  'waiting',
  'in-progress',
  'completed',
  'cancelled',
  'no-show',
]);
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;

/** The lifecycle: which status may follow which. Completed, cancelled and no-show are final. */
export const appointmentTransitions: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  scheduled: ['waiting', 'cancelled', 'no-show'],
  waiting: ['in-progress', 'cancelled', 'no-show'],
  'in-progress': ['completed'],
  completed: [],
  cancelled: [],
  'no-show': [],
};

export const prioritySchema = z.enum(['routine', 'urgent']);

/** The longest an appointment may last: a booking is refused beyond it, and busy-time reads rely on it. */
export const maxAppointmentMs = 4 * 3600_000;

export const appointmentCreateSchema = z
  .strictObject({
    clinicId: objectIdSchema,
    patientId: objectIdSchema,
    specialty: specialtySchema,
    /** Omitted: any specialist of the specialty may take it. */
    specialistId: objectIdSchema.optional(),
    start: isoDateTimeSchema,
    end: isoDateTimeSchema,
    reason: z.string().trim().min(1).max(2000),
    priority: prioritySchema.default('routine'),
  })
  .refine((a) => Date.parse(a.start) < Date.parse(a.end), {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine((a) => Date.parse(a.end) - Date.parse(a.start) <= maxAppointmentMs, {
    message: 'an appointment lasts at most 4 hours',
    path: ['end'],
  });
export type AppointmentCreate = z.infer<typeof appointmentCreateSchema>;

/** An on-demand urgent request: it waits in the specialty's queue until a specialist picks it. */
export const urgentRequestSchema = z.strictObject({
  patientId: objectIdSchema,
  specialty: specialtySchema,
  reason: z.string().trim().min(1).max(2000),
});
export type UrgentRequest = z.infer<typeof urgentRequestSchema>;

export const appointmentStatusChangeSchema = z.strictObject({
  status: appointmentStatusSchema,
  note: z.string().trim().max(500).optional(),
});

export const appointmentListQuerySchema = z.object({
  /** A day in the hospital's time zone (Africa/Cairo): "today's appointments". */
  date: isoDateSchema.optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  status: appointmentStatusSchema.optional(),
  specialistId: objectIdSchema.optional(),
  clinicId: objectIdSchema.optional(),
  patientId: objectIdSchema.optional(),
});

/** The widest window of a specialist's busy times one request reads: a month of days to book in. */
export const maxBusyRangeDays = 31;

/** `GET /api/specialists/:id/busy`: the window [from, to) to read, at most `maxBusyRangeDays` long. */
export const specialistBusyQuerySchema = z
  .object({ from: isoDateTimeSchema, to: isoDateTimeSchema })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'to must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= maxBusyRangeDays * 86_400_000, {
    message: `the window is at most ${maxBusyRangeDays} days`,
    path: ['to'],
  });
export type SpecialistBusyQuery = z.infer<typeof specialistBusyQuerySchema>;

/**
 * When a specialist is taken, whichever clinic booked them: the intervals of their active appointments
 * overlapping the window, and nothing else (no patient, clinic, reason or status), so any clinic may read it.
 */
export const specialistBusySchema = z.object({
  specialistId: objectIdSchema,
  from: z.string(),
  to: z.string(),
  items: z.array(z.object({ start: z.string(), end: z.string() }).strict()),
});
export type SpecialistBusy = z.infer<typeof specialistBusySchema>;

/** At most this many specialists invited into one call: a call, not a conference. */
export const maxCallInvitations = 10;

export const callInvitationSchema = z.object({
  specialistId: objectIdSchema,
  invitedBy: objectIdSchema,
  at: z.string(),
});
export type CallInvitation = z.infer<typeof callInvitationSchema>;

export const callInvitationInputSchema = z.strictObject({ specialistId: objectIdSchema });

/**
 * Who someone is in an appointment's call: its clinic, its booked specialist, or a specialist that one
 * invited. Only the booked specialist admits, ends and invites; the invited read and chat, nothing else.
 */
export const callRoleSchema = z.enum(['clinic', 'booked-specialist', 'invited-specialist']);
export type CallRole = z.infer<typeof callRoleSchema>;

/**
 * What happened in an appointment's call, as signaling reports it to records for the audit trail: a
 * participant joined (the waiting room) or left, the specialist admitted someone, or ended the call.
 */
export const callEventKindSchema = z.enum(['joined', 'admitted', 'left', 'ended']);
export type CallEventKind = z.infer<typeof callEventKindSchema>;

export const callEventInputSchema = z.strictObject({
  kind: callEventKindSchema,
  /** Whom it concerns when it is not the caller (the participant admitted). */
  participantId: objectIdSchema.optional(),
});
export type CallEventInput = z.infer<typeof callEventInputSchema>;

export const appointmentSchema = z.object({
  id: objectIdSchema,
  kind: z.enum(['scheduled', 'on-demand']),
  clinicId: objectIdSchema,
  patientId: objectIdSchema,
  specialty: specialtySchema,
  specialistId: objectIdSchema.optional(),
  start: z.string(),
  end: z.string(),
  /** Clinical content: absent for administrators, who schedule but do not read it. */
  reason: longTextSchema.optional(),
  priority: prioritySchema,
  status: appointmentStatusSchema,
  statusHistory: z.array(
    z.object({
      status: appointmentStatusSchema,
      at: z.string(),
      by: objectIdSchema,
      /** Why it changed, in the changer's words: absent for administrators, as `reason` is. */
      note: z.string().optional(),
    }),
  ),
  specialistJoinedAt: z.string().optional(),
  completedAt: z.string().optional(),
  /** When it last entered `waiting` (from `statusHistory`): the specialist's waiting list shows "since when". */
  waitingSince: z.string().optional(),
  /** The specialists the booked specialist invited into the call, who may read it and chat, nothing else. */
  invitations: z.array(callInvitationSchema).optional(),
  /**
   * Who the caller is in this appointment's call, on a single read (`getAppointment`) only; absent when the
   * caller may read the appointment but not be in its call (an administrator, a specialist of the specialty
   * before anyone took it). Signaling lets people into the room by it.
   */
  callRole: callRoleSchema.optional(),
  /** In lists: who the patient is, so a schedule reads without a lookup per row. */
  patient: z
    .object({
      name: z.object({ ar: z.string(), latin: z.string() }),
      mrn: z.string(),
      sex: z.string(),
      birthDate: z.string(),
    })
    .optional(),
});
export type Appointment = z.infer<typeof appointmentSchema>;
