import { describe, expect, it } from 'vitest';
import { dayInZone, startOfDayIn, weekOf, weekRange, weekRow, weekStartOf } from './weekGrid.js';

const cairo = 'Africa/Cairo';

describe('the scheduling week grid', () => {
  it('starts the week on Sunday and spans seven days across a month end', () => {
    expect(weekStartOf('2026-12-03')).toBe('2026-11-29');
    expect(weekOf('2026-11-29')).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
    ]);
  });

  it("bounds the week by Cairo's midnights, in winter and in summer time", () => {
    expect(startOfDayIn('2026-12-06', cairo).toISOString()).toBe('2026-12-05T22:00:00.000Z');
    expect(startOfDayIn('2026-07-05', cairo).toISOString()).toBe('2026-07-04T21:00:00.000Z');
    expect(weekRange('2026-12-06', cairo)).toEqual({
      from: '2026-12-05T22:00:00.000Z',
      to: '2026-12-12T22:00:00.000Z',
    });
  });

  it('puts an appointment on its Cairo day, not its UTC day, and leaves out cancelled ones', () => {
    // 23:30 UTC on the 6th is 01:30 on the 7th in Cairo.
    expect(dayInZone('2026-12-06T23:30:00.000Z', cairo)).toBe('2026-12-07');
    const row = weekRow(
      weekOf('2026-12-06'),
      [
        { id: 'a', start: '2026-12-06T23:30:00.000Z', end: '2026-12-07T00:00:00.000Z', status: 'scheduled' },
        { id: 'b', start: '2026-12-07T08:00:00.000Z', end: '2026-12-07T08:30:00.000Z', status: 'completed' },
        { id: 'c', start: '2026-12-07T09:00:00.000Z', end: '2026-12-07T09:30:00.000Z', status: 'cancelled' },
      ],
      {
        timeZone: cairo,
        weekly: [
          { weekday: 1, start: '13:00', end: '15:00' },
          { weekday: 1, start: '09:00', end: '12:00' },
        ],
        exceptions: [{ from: '2026-12-09', to: '2026-12-10', reason: 'conference' }],
      },
      cairo,
    );
    expect(row.map((cell) => cell.appointments.map((a) => a.id))).toEqual([
      [],
      ['a', 'b'],
      [],
      [],
      [],
      [],
      [],
    ]);
    expect(row[1]?.hours).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '15:00' },
    ]);
    expect(row[0]?.hours).toEqual([]);
    expect(row.map((cell) => cell.leave)).toEqual([
      undefined,
      undefined,
      undefined,
      'conference',
      'conference',
      undefined,
      undefined,
    ]);
  });
});
