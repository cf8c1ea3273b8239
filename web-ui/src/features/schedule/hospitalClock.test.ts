import { describe, expect, it } from 'vitest';
import {
  addDays,
  hospitalDayOf,
  hospitalDayStart,
  hospitalMinutesOf,
  isCalendarDay,
  weekOf,
} from './hospitalClock.js';

describe('the hospital clock (Africa/Cairo), whatever the browser’s zone', () => {
  it('starts a winter day at 22:00 UTC the day before (UTC+2)', () => {
    expect(hospitalDayStart('2026-01-15')).toBe('2026-01-14T22:00:00.000Z');
  });

  it('starts a summer day at 21:00 UTC the day before (UTC+3, summer time)', () => {
    expect(hospitalDayStart('2026-07-15')).toBe('2026-07-14T21:00:00.000Z');
  });

  it('places an instant on the hospital’s day and minute, across midnight UTC', () => {
    expect(hospitalDayOf('2026-01-14T23:30:00.000Z')).toBe('2026-01-15');
    expect(hospitalMinutesOf('2026-01-14T23:30:00.000Z')).toBe(90);
    expect(hospitalMinutesOf('2026-07-15T06:00:00.000Z')).toBe(9 * 60);
  });

  it('runs a week from Saturday to Friday, across a month’s end', () => {
    const week = weekOf('2026-12-01'); // a Tuesday
    expect(week[0]).toBe('2026-11-28');
    expect(week[6]).toBe('2026-12-04');
    expect(weekOf('2026-11-28')[0]).toBe('2026-11-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('accepts only real calendar days from the URL', () => {
    expect(isCalendarDay('2026-12-07')).toBe(true);
    expect(isCalendarDay('2026-13-45')).toBe(false);
    expect(isCalendarDay('next week')).toBe(false);
    expect(isCalendarDay(null)).toBe(false);
  });
});
