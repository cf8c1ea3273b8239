import { addDays, type CalendarDay, dayInZone, startOfDayIn } from '../admin/weekGrid.js';

/**
 * The audit trail's period is chosen as days of the hospital's calendar, and the API takes instants: a day
 * runs from midnight to midnight in the hospital's time zone (not UTC, which would shift it by the zone's offset).
 */
export const auditPeriod = {
  from: (day: CalendarDay, timeZone: string) => startOfDayIn(day, timeZone).toISOString(),
  to: (day: CalendarDay, timeZone: string) =>
    new Date(startOfDayIn(addDays(day, 1), timeZone).getTime() - 1).toISOString(),
  /** The day an instant of the filters falls on, as the date input shows it. */
  dayOf: (instant: string | undefined, timeZone: string) => (instant ? dayInZone(instant, timeZone) : null),
};
