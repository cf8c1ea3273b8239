import type { Appointment } from '@telemed/shared';
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
