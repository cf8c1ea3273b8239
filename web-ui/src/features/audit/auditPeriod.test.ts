import { describe, expect, it } from 'vitest';
import { auditPeriod } from './auditPeriod.js';

describe('auditPeriod', () => {
  it('runs a chosen day from midnight to midnight in the hospital’s zone, not in UTC', () => {
    expect(auditPeriod.from('2026-12-07', 'Africa/Cairo')).toBe('2026-12-06T22:00:00.000Z');
    expect(auditPeriod.to('2026-12-07', 'Africa/Cairo')).toBe('2026-12-07T21:59:59.999Z');
    // Cairo keeps summer time: a day in July starts three hours before UTC's.
    expect(auditPeriod.from('2026-07-01', 'Africa/Cairo')).toBe('2026-06-30T21:00:00.000Z');
  });

  it('shows the instants of a bookmarked period as the days they fall on there', () => {
    expect(auditPeriod.dayOf('2026-12-06T22:00:00.000Z', 'Africa/Cairo')).toBe('2026-12-07');
    expect(auditPeriod.dayOf('2026-12-07T21:59:59.999Z', 'Africa/Cairo')).toBe('2026-12-07');
    expect(auditPeriod.dayOf(undefined, 'Africa/Cairo')).toBeNull();
  });
});
