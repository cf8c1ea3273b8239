import type { AvailabilityException, WeeklySlot } from '@telemed/shared';
import { DateTime } from 'luxon';

/** How long a booked consultation lasts: the slot grid the clinic chooses from. */
export const slotMinutes = 30;

/** One specialist's hours, as the availability API answers them. */
export interface SpecialistHours {
  specialistId: string;
  timeZone: string;
  weekly: WeeklySlot[];
  exceptions: AvailabilityException[];
}

/** A time already taken: an active appointment of a specialist (or of nobody yet, booked by specialty). */
export interface BusyTime {
  specialistId?: string | undefined;
  start: string;
  end: string;
}

/** A slot the clinic may book: [start, end) in UTC ISO, and the specialists free for it. */
export interface FreeSlot {
  start: string;
  end: string;
  specialistIds: string[];
}

const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number) =>
  aStart < bEnd && bStart < aEnd;

/**
 * The free slots of one day (`YYYY-MM-DD` in the hospital's zone): inside a weekly window of a specialist, on a
 * day that is not their leave, not started yet, and not overlapping one of their active appointments. The
 * records API checks the same rules again at booking (`availabilityCheck.ts`), which is what stops a race;
 * this only keeps the clinic from choosing a slot that is sure to be refused.
 */
export function freeSlotsOn(
  day: string,
  hours: readonly SpecialistHours[],
  busy: readonly BusyTime[],
  now: Date,
): FreeSlot[] {
  const bySlot = new Map<number, FreeSlot>();
  for (const specialist of hours) {
    const date = DateTime.fromISO(day, { zone: specialist.timeZone });
    if (!date.isValid) continue;
    if (specialist.exceptions.some((e) => e.from <= day && day <= e.to)) continue;
    const weekday = date.weekday % 7; // luxon: 1 = Monday … 7 = Sunday; the API's: 0 = Sunday
    const theirBusy = busy
      .filter((b) => b.specialistId === specialist.specialistId)
      .map((b) => [Date.parse(b.start), Date.parse(b.end)] as const);
    for (const window of specialist.weekly.filter((w) => w.weekday === weekday)) {
      const windowEnd = at(date, window.end);
      for (let start = at(date, window.start); ; start = start.plus({ minutes: slotMinutes })) {
        const end = start.plus({ minutes: slotMinutes });
        if (end > windowEnd) break;
        const [s, e] = [start.toMillis(), end.toMillis()];
        if (s < now.getTime()) continue;
        if (theirBusy.some(([bs, be]) => overlaps(s, e, bs, be))) continue;
        const slot = bySlot.get(s) ?? {
          start: new Date(s).toISOString(),
          end: new Date(e).toISOString(),
          specialistIds: [],
        };
        slot.specialistIds.push(specialist.specialistId);
        bySlot.set(s, slot);
      }
    }
  }
  return [...bySlot.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/** The next `count` calendar days in the zone, today first, as `YYYY-MM-DD`. */
export function nextDays(now: Date, timeZone: string, count: number): string[] {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  return Array.from({ length: count }, (_, i) => today.plus({ days: i }).toISODate() ?? '');
}

/** [start, end) of a local day in UTC ISO: the range of appointments to fetch for it. */
export function dayRange(day: string, timeZone: string): { from: string; to: string } {
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  return { from: start.toUTC().toISO() ?? '', to: start.plus({ days: 1 }).toUTC().toISO() ?? '' };
}

function at(date: DateTime, clock: string): DateTime {
  const [hour, minute] = clock.split(':').map(Number);
  return date.set({ hour, minute, second: 0, millisecond: 0 });
}
