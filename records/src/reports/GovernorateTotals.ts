import type { AppointmentStatus, GovernorateTotalsRow } from '@telemed/shared';

type StatusCounts = Omit<GovernorateTotalsRow, 'governorate' | 'clinics' | 'appointments'>;

const countOf: Record<AppointmentStatus, keyof StatusCounts> = {
  scheduled: 'scheduled',
  waiting: 'waiting',
  'in-progress': 'inProgress',
  completed: 'completed',
  cancelled: 'cancelled',
  'no-show': 'noShow',
};

/**
 * Tallies a day's appointments per governorate as they stream from the database (see ConsultationReport for
 * why not an aggregation). Clinics are few and known up front; every governorate with a clinic gets a row,
 * also with nothing booked, so that a quiet governorate shows as zero rather than vanishing.
 */
export class GovernorateTotals {
  readonly #governorateOfClinic: Map<string, string>;
  readonly #rows = new Map<string, GovernorateTotalsRow>();

  constructor(clinics: Iterable<{ id: string; governorate: string }>) {
    this.#governorateOfClinic = new Map();
    for (const { id, governorate } of clinics) {
      this.#governorateOfClinic.set(id, governorate);
      this.#row(governorate).clinics += 1;
    }
  }

  add(appointment: { clinicId: { toHexString(): string }; status: string }): void {
    const governorate = this.#governorateOfClinic.get(appointment.clinicId.toHexString());
    const count = countOf[appointment.status as AppointmentStatus];
    // An appointment of a clinic closed since, or in a status added later, counts nowhere rather than wrongly.
    if (governorate === undefined || count === undefined) return;
    const row = this.#row(governorate);
    row.appointments += 1;
    row[count] += 1;
  }

  /** The rows, busiest governorate first, then by name. */
  rows(): GovernorateTotalsRow[] {
    return [...this.#rows.values()].sort(
      (a, b) => b.appointments - a.appointments || a.governorate.localeCompare(b.governorate, 'ar'),
    );
  }

  #row(governorate: string): GovernorateTotalsRow {
    let row = this.#rows.get(governorate);
    if (!row) {
      row = {
        governorate,
        clinics: 0,
        appointments: 0,
        scheduled: 0,
        waiting: 0,
        inProgress: 0,
        completed: 0,
        cancelled: 0,
        noShow: 0,
      };
      this.#rows.set(governorate, row);
    }
    return row;
  }
}
