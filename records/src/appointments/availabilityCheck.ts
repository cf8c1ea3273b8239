import type { AvailabilityException, LocalizedMessage, WeeklySlot } from '@telemed/shared';
import { DateTime } from 'luxon';

export interface AvailabilityRules {
  timeZone: string;
  weekly: WeeklySlot[];
  exceptions: AvailabilityException[];
}

export type AvailabilityVerdict = { ok: true } | { ok: false; reason: LocalizedMessage };

/**
 * Whether [start, end) falls inside one weekly slot of the specialist, on a day that is not an exception.
 * Slots are wall-clock times in the hospital's zone, so daylight-saving changes move them correctly in UTC.
 */
export function checkAvailability(rules: AvailabilityRules, start: Date, end: Date): AvailabilityVerdict {
  const localStart = DateTime.fromJSDate(start, { zone: rules.timeZone });
  const localEnd = DateTime.fromJSDate(end, { zone: rules.timeZone });
  const day = localStart.toISODate() ?? '';
  if (localEnd.toISODate() !== day && localEnd.toFormat('HH:mm') !== '00:00') {
    return {
      ok: false,
      reason: {
        en: 'An appointment must start and end on the same day.',
        ar: 'يجب أن يبدأ الموعد وينتهي في اليوم نفسه.',
      },
    };
  }
  const leave = rules.exceptions.find((e) => e.from <= day && day <= e.to);
  if (leave) {
    return {
      ok: false,
      reason: {
        en: `The specialist is away on ${day}${leave.reason ? ` (${leave.reason})` : ''}.`,
        ar: `الطبيب الاستشاري غائب يوم ${day}${leave.reason ? ` (${leave.reason})` : ''}؛ اختر يوماً آخر.`,
      },
    };
  }
  const weekday = localStart.weekday % 7; // luxon: 1 = Monday … 7 = Sunday; ours: 0 = Sunday
  const from = localStart.toFormat('HH:mm');
  const to = localEnd.toISODate() === day ? localEnd.toFormat('HH:mm') : '24:00';
  const fits = rules.weekly.some((slot) => slot.weekday === weekday && slot.start <= from && to <= slot.end);
  if (!fits) {
    const hours = rules.weekly
      .filter((slot) => slot.weekday === weekday)
      .map((slot) => `${slot.start}–${slot.end}`)
      .join(', ');
    return {
      ok: false,
      reason: hours
        ? {
            en: `${from}–${to} (${rules.timeZone}) is outside the specialist's hours that day: ${hours}.`,
            ar: `الوقت ${from}–${to} (${rules.timeZone}) خارج ساعات الطبيب الاستشاري في ذلك اليوم: ${hours}؛ اختر وقتاً ضمنها.`,
          }
        : {
            en: `The specialist has no consultation hours on ${localStart.setLocale('en').toFormat('cccc')}s.`,
            ar: `ليست للطبيب الاستشاري ساعات استشارة يوم ${localStart.setLocale('ar').toFormat('cccc')}؛ اختر يوماً آخر.`,
          },
    };
  }
  return { ok: true };
}

const knownDays = new Map<string, [number, number]>();

/** [start, end) of a local calendar day in UTC, for "today's appointments". */
export function dayBounds(isoDate: string, timeZone: string): { start: Date; end: Date } {
  // Remembered: every list of a day's appointments asks for the same few days, and the time-zone
  // arithmetic cost more than the rest of the request's own work.
  const key = `${timeZone} ${isoDate}`;
  let bounds = knownDays.get(key);
  if (!bounds) {
    const start = DateTime.fromISO(isoDate, { zone: timeZone }).startOf('day');
    bounds = [start.toMillis(), start.plus({ days: 1 }).toMillis()];
    if (knownDays.size >= 1000) knownDays.clear();
    knownDays.set(key, bounds);
  }
  return { start: new Date(bounds[0]), end: new Date(bounds[1]) };
}
