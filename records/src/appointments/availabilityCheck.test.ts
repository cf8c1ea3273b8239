import { describe, expect, it } from 'vitest';
import { checkAvailability, dayBounds } from './availabilityCheck.js';

// Sunday and Tuesday mornings, Cairo time; a holiday on 2026-12-01 (a Tuesday).
const rules = {
  timeZone: 'Africa/Cairo',
  weekly: [
    { weekday: 0, start: '09:00', end: '13:00' },
    { weekday: 2, start: '09:00', end: '12:00' },
  ],
  exceptions: [{ from: '2026-12-01', to: '2026-12-01', reason: 'national holiday' }],
};

describe('checkAvailability', () => {
  it('accepts a booking inside a weekly slot, in the hospital time zone', () => {
    // 2026-11-22 is a Sunday; Cairo is UTC+2 in winter, so 08:00Z is 10:00 local.
    expect(
      checkAvailability(rules, new Date('2026-11-22T08:00:00Z'), new Date('2026-11-22T08:30:00Z')),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses a booking that overruns the slot and says what the hours are', () => {
    const verdict = checkAvailability(
      rules,
      new Date('2026-11-22T10:45:00Z'),
      new Date('2026-11-22T11:15:00Z'),
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.objectContaining({ en: expect.stringContaining('09:00–13:00') }),
    });
  });

  it('refuses a day without hours', () => {
    const verdict = checkAvailability(
      rules,
      new Date('2026-11-23T08:00:00Z'),
      new Date('2026-11-23T08:30:00Z'),
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.objectContaining({ en: expect.stringContaining('no consultation hours on Mondays') }),
    });
  });

  it('refuses a day of leave with its reason', () => {
    const verdict = checkAvailability(
      rules,
      new Date('2026-12-01T08:00:00Z'),
      new Date('2026-12-01T08:30:00Z'),
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.objectContaining({ en: expect.stringContaining('national holiday') }),
    });
  });

  it('gives the UTC bounds of a Cairo day', () => {
    expect(dayBounds('2026-11-22', 'Africa/Cairo')).toEqual({
      start: new Date('2026-11-21T22:00:00Z'),
      end: new Date('2026-11-22T22:00:00Z'),
    });
  });
});
