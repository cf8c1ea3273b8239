import type { Appointment, Availability } from '@telemed/shared';

/** A day in the hospital's calendar, `YYYY-MM-DD`. */
export type CalendarDay = string;

/** The calendar day a moment falls on in `timeZone`. */
export function dayInZone(moment: Date | string, timeZone: string): CalendarDay {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(moment));
}

/** The instant `day` begins in `timeZone` (midnight there), whatever the browser's own zone. */
export function startOfDayIn(day: CalendarDay, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, date);
  // The zone's offset at that moment, read back from Intl; twice, in case midnight sits by a DST change.
  let guess = utcMidnight;
  for (let i = 0; i < 2; i++) guess = utcMidnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(moment: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(moment);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    value('year'),
    value('month') - 1,
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  );
  return asUtc - Math.floor(moment.getTime() / 1000) * 1000;
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** 0 for Sunday, as the weekly hours count them. */
export function weekdayOf(day: CalendarDay): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The Sunday that begins the week of `day` (the working week in Egypt's hospitals starts then). */
export function weekStartOf(day: CalendarDay): CalendarDay {
  return addDays(day, -weekdayOf(day));
}

export function weekOf(start: CalendarDay): CalendarDay[] {
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/** The half-open range of instants a week covers, for the appointment list's `from` and `to`. */
export function weekRange(start: CalendarDay, timeZone: string): { from: string; to: string } {
  return {
    from: startOfDayIn(start, timeZone).toISOString(),
    to: startOfDayIn(addDays(start, 7), timeZone).toISOString(),
  };
}

/** One specialist on one day: their appointments (no clinical content), and whether they work or are away. */
export interface DayCell {
  day: CalendarDay;
  appointments: Pick<Appointment, 'id' | 'start' | 'end' | 'status'>[];
  /** The reason of the leave covering the day ('' when none was given); undefined when not on leave. */
  leave?: string;
  /** Weekly hours on this weekday, in the hospital's wall-clock time; empty when the specialist has none that day. */
  hours: { start: string; end: string }[];
}

/** Those who cancel do not hold the specialist's time, so they are not counted in the calendar. */
const holdsTime = (status: Appointment['status']) => status !== 'cancelled';

/** A specialist's row of the week: each day's appointments, hours and leave, in the hospital's calendar. */
export function weekRow(
  days: CalendarDay[],
  appointments: readonly Pick<Appointment, 'id' | 'start' | 'end' | 'status'>[],
  availability: Pick<Availability, 'weekly' | 'exceptions' | 'timeZone'> | undefined,
  timeZone: string,
): DayCell[] {
  return days.map((day) => {
    const leave = availability?.exceptions.find((e) => e.from <= day && day <= e.to);
    const weekday = weekdayOf(day);
    return {
      day,
      appointments: appointments
        .filter((a) => holdsTime(a.status) && dayInZone(a.start, timeZone) === day)
        .sort((a, b) => a.start.localeCompare(b.start)),
      leave: leave ? leave.reason : undefined,
      hours: (availability?.weekly ?? [])
        .filter((slot) => slot.weekday === weekday)
        .sort((a, b) => a.start.localeCompare(b.start))
        .map(({ start, end }) => ({ start, end })),
    };
  });
}
