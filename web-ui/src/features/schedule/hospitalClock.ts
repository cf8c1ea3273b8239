import { hospitalTimeZone } from '../../i18n/catalog.js';

/** `YYYY-MM-DD`: a calendar day in the hospital's time zone. */
export type CalendarDay = string;

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: hospitalTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function zonedParts(at: Date): { day: CalendarDay; minutes: number; asUtcMs: number } {
  const part = (type: string) => partsFormat.formatToParts(at).find((p) => p.type === type)?.value ?? '00';
  const [year, month, day, hour, minute] = ['year', 'month', 'day', 'hour', 'minute'].map(part);
  const minutes = Number(hour) * 60 + Number(minute);
  return {
    day: `${year}-${month}-${day}`,
    minutes,
    asUtcMs: Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute)),
  };
}

/** The hospital's calendar day of an instant. */
export function hospitalDayOf(iso: string | Date): CalendarDay {
  return zonedParts(new Date(iso)).day;
}

/** Minutes since the hospital's midnight of an instant (a block's place in the day's column). */
export function hospitalMinutesOf(iso: string): number {
  return zonedParts(new Date(iso)).minutes;
}

/**
 * The instant the hospital's day begins, as ISO: midnight there, whatever the browser's zone. The zone's offset
 * is read at that day (it changes with summer time), then checked once more in case midnight sits on a change.
 */
export function hospitalDayStart(day: CalendarDay): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(y, m - 1, d);
  let guess = wallMidnight;
  for (let i = 0; i < 2; i += 1) {
    const offset = zonedParts(new Date(guess)).asUtcMs - guess;
    guess = wallMidnight - offset;
  }
  return new Date(guess).toISOString();
}

export function addDays(day: CalendarDay, count: number): CalendarDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + count)).toISOString().slice(0, 10);
}

/** 0 is Sunday, as the availability's weekdays count. */
export function weekdayOf(day: CalendarDay): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The week the day falls in, from Saturday (the Egyptian week) to Friday. */
export function weekOf(day: CalendarDay): CalendarDay[] {
  const saturday = addDays(day, -((weekdayOf(day) + 1) % 7));
  return Array.from({ length: 7 }, (_, i) => addDays(saturday, i));
}

export function isCalendarDay(value: string | null): value is CalendarDay {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}
