import type { ReportGrouping, ReportRow } from '@telemed/shared';
import type { Types } from 'mongoose';

/** What the report reads of an appointment. */
export interface AppointmentFacts {
  clinicId: Types.ObjectId;
  specialty: string;
  start: Date;
  status: string;
  specialistJoinedAt?: Date | null | undefined;
  completedAt?: Date | null | undefined;
}

/** The fields to read, as a projection. */
export const appointmentFactsProjection = {
  _id: 0,
  clinicId: 1,
  specialty: 1,
  start: 1,
  status: 1,
  specialistJoinedAt: 1,
  completedAt: 1,
} as const;

interface Tally {
  appointments: number;
  completed: number;
  cancelled: number;
  noShow: number;
  /** Minutes from the appointment's start to the specialist joining, per appointment that had both. */
  waits: number[];
  /** Minutes from the specialist joining to completion. */
  durations: number[];
}

/**
 * Tallies appointments into the groups of an activity report as they stream from the database. The
 * grouping is done here, not by an aggregation in the database: the embedded store runs an aggregation in
 * one step, answering nobody meanwhile (a year's appointments grouped by day took 13 s there before its
 * time-zone conversion was fixed, and seconds after), whereas a cursor lets it serve others between two
 * batches. The records workers share this work instead, and medians need every value here anyway.
 */
export class ConsultationReport {
  readonly #groupBy: ReportGrouping;
  readonly #days: Intl.DateTimeFormat;
  readonly #groups = new Map<string, Tally>();

  constructor(groupBy: ReportGrouping, timeZone: string) {
    this.#groupBy = groupBy;
    this.#days = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  add(appointment: AppointmentFacts): void {
    const group = this.#groupOf(appointment);
    let tally = this.#groups.get(group);
    if (!tally) {
      tally = { appointments: 0, completed: 0, cancelled: 0, noShow: 0, waits: [], durations: [] };
      this.#groups.set(group, tally);
    }
    tally.appointments++;
    if (appointment.status === 'completed') tally.completed++;
    else if (appointment.status === 'cancelled') tally.cancelled++;
    else if (appointment.status === 'no-show') tally.noShow++;
    const wait = minutesBetween(appointment.start, appointment.specialistJoinedAt);
    if (wait !== undefined) tally.waits.push(wait);
    const duration = minutesBetween(appointment.specialistJoinedAt, appointment.completedAt);
    if (duration !== undefined) tally.durations.push(duration);
  }

  /** The groups seen so far (clinic ids when grouped by clinic): what the rows will need named. */
  groups(): string[] {
    return [...this.#groups.keys()];
  }

  /** One row per group, in group order; `labelOf` names a group for people. */
  rows(labelOf: (group: string) => string): Omit<ReportRow, 'labels'>[] {
    return [...this.#groups.keys()].sort().map((group) => {
      const tally = this.#groups.get(group)!;
      return {
        group,
        label: labelOf(group),
        appointments: tally.appointments,
        completed: tally.completed,
        cancelled: tally.cancelled,
        noShow: tally.noShow,
        cancellationRate: round(tally.cancelled / tally.appointments),
        noShowRate: round(tally.noShow / tally.appointments),
        medianWaitMinutes: median(tally.waits),
        medianDurationMinutes: median(tally.durations),
      };
    });
  }

  #groupOf(appointment: AppointmentFacts): string {
    switch (this.#groupBy) {
      case 'clinic':
        return appointment.clinicId.toHexString();
      case 'specialty':
        return appointment.specialty;
      case 'day':
        // en-CA writes dates as YYYY-MM-DD.
        return this.#days.format(appointment.start);
    }
  }
}

/** Minutes from `from` to `to`; undefined unless both are known and in that order. */
function minutesBetween(from: Date | null | undefined, to: Date | null | undefined): number | undefined {
  if (!from || !to) return undefined;
  const minutes = (to.getTime() - from.getTime()) / 60_000;
  return minutes >= 0 ? minutes : undefined;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}
