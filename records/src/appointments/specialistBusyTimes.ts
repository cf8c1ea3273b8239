import { AppError, maxAppointmentMs, type SpecialistBusy } from '@telemed/shared';
import type { Types } from 'mongoose';
import type { Models } from '../models/registerModels.js';

/** The statuses that hold a specialist's time: a cancelled, missed or finished appointment frees it. */
export const timeHoldingStatuses = ['scheduled', 'waiting', 'in-progress'];

/** More than a month of back-to-back half hours: a window holding more is cut, and booking still checks. */
const maxIntervals = 5000;

/**
 * The filter of a specialist's time-holding appointments that overlap [from, to): the double-booking check and
 * the busy-time read use the same one. `start >= from - maxAppointmentMs` is implied by the overlap (no
 * appointment lasts longer), and bounds the range on the `{specialistId, start}` index from both sides, so a
 * busy specialist's years of history are never walked.
 */
export function overlappingFilter(specialistId: Types.ObjectId | string, from: Date, to: Date) {
  return {
    specialistId,
    status: { $in: timeHoldingStatuses },
    start: { $lt: to, $gte: new Date(from.getTime() - maxAppointmentMs) },
    end: { $gt: from },
  };
}

/**
 * When a specialist is taken in [from, to), whichever clinic booked them: start and end only, no patient, so
 * every clinic can keep the slots other clinics took out of its picker. A booking "by specialty" names no
 * specialist yet, and holds nobody's time here.
 */
export async function specialistBusyTimes(
  models: Models,
  specialistId: string,
  from: Date,
  to: Date,
): Promise<SpecialistBusy> {
  const specialist = await models.User.exists({ _id: specialistId, role: 'specialist' });
  if (!specialist)
    throw new AppError('NOT_FOUND', { en: 'No such specialist.', ar: 'هذا الطبيب الاستشاري غير موجود.' });
  const docs = await models.Appointment.find(overlappingFilter(specialistId, from, to), {
    _id: 0,
    start: 1,
    end: 1,
  })
    .sort({ start: 1 })
    .limit(maxIntervals)
    .lean();
  return {
    specialistId,
    from: from.toISOString(),
    to: to.toISOString(),
    items: docs.map((d) => ({ start: d.start.toISOString(), end: d.end.toISOString() })),
  };
}
