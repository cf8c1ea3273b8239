import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { type AppointmentFacts, ConsultationReport } from './ConsultationReport.js';

const clinicA = new Types.ObjectId('65a1b2c3d4e5f60718293a01');
const clinicB = new Types.ObjectId('65a1b2c3d4e5f60718293a02');
const at = (iso: string, minutes = 0) => new Date(Date.parse(iso) + minutes * 60_000);

function appointment(facts: Partial<AppointmentFacts>): AppointmentFacts {
  return {
    clinicId: clinicA,
    specialty: 'cardiology',
    start: at('2026-03-01T08:00:00Z'),
    status: 'scheduled',
    ...facts,
  };
}

describe('ConsultationReport', () => {
  it('counts outcomes per clinic, with rates and the median wait and duration in minutes', () => {
    const report = new ConsultationReport('clinic', 'Africa/Cairo');
    const start = at('2026-03-01T08:00:00Z');
    for (const [wait, duration] of [
      [2, 20],
      [4, 30],
      [10, 25],
      [6, 40],
    ] as const) {
      report.add(
        appointment({
          start,
          status: 'completed',
          specialistJoinedAt: at('2026-03-01T08:00:00Z', wait),
          completedAt: at('2026-03-01T08:00:00Z', wait + duration),
        }),
      );
    }
    report.add(appointment({ status: 'cancelled' }));
    report.add(appointment({ status: 'no-show' }));
    // Joined before the start (an early specialist): no negative wait is counted.
    report.add(
      appointment({
        clinicId: clinicB,
        status: 'in-progress',
        specialistJoinedAt: at('2026-03-01T07:55:00Z'),
      }),
    );
    const rows = report.rows((group) => (group === clinicA.toHexString() ? 'A' : 'B'));
    expect(rows).toEqual([
      {
        group: clinicA.toHexString(),
        label: 'A',
        appointments: 6,
        completed: 4,
        cancelled: 1,
        noShow: 1,
        cancellationRate: 0.167,
        noShowRate: 0.167,
        medianWaitMinutes: 5,
        medianDurationMinutes: 27.5,
      },
      expect.objectContaining({
        group: clinicB.toHexString(),
        appointments: 1,
        completed: 0,
        medianWaitMinutes: null,
        medianDurationMinutes: null,
      }),
    ]);
  });

  it('groups by day in the given time zone, not in UTC', () => {
    const report = new ConsultationReport('day', 'Africa/Cairo');
    // 22:30 UTC on 1 March is 00:30 on 2 March in Cairo (UTC+2).
    report.add(appointment({ start: at('2026-03-01T22:30:00Z') }));
    report.add(appointment({ start: at('2026-03-01T21:30:00Z') }));
    report.add(appointment({ start: at('2026-03-02T10:00:00Z') }));
    expect(report.rows((group) => group).map((row) => [row.group, row.appointments])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 2],
    ]);
  });

  it('groups by specialty, in order', () => {
    const report = new ConsultationReport('specialty', 'Africa/Cairo');
    for (const specialty of ['pediatrics', 'cardiology', 'pediatrics'])
      report.add(appointment({ specialty }));
    expect(report.rows((group) => group).map((row) => [row.group, row.appointments])).toEqual([
      ['cardiology', 1],
      ['pediatrics', 2],
    ]);
  });
});
