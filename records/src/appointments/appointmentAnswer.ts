import type { Appointment, AuthenticatedUser } from '@telemed/shared';
import { toApi } from '../api/serialize.js';

/**
 * An appointment as the API answers it, with `waitingSince`: when it last entered `waiting`, read from its
 * history, so the specialist's waiting list says "since when" without a second query.
 */
export function toAppointment(doc: unknown): Appointment {
  const appointment = toApi<Appointment>(doc);
  const entered = appointment.statusHistory?.findLast((step) => step.status === 'waiting');
  return entered ? { ...appointment, waitingSince: entered.at } : appointment;
}

/**
 * An appointment as `user` may read it. Administrators schedule but read no clinical content: the reason for
 * the visit and the notes of its status changes (why it was cancelled, what the clinic said on an urgent
 * request) are left out for them, on every answer, lists and single reads alike.
 */
export function appointmentFor(user: AuthenticatedUser, appointment: Appointment): Appointment {
  if (user.role !== 'administrator') return appointment;
  const { reason: _clinical, statusHistory, ...rest } = appointment;
  return { ...rest, statusHistory: statusHistory.map(({ note: _note, ...step }) => step) };
}
