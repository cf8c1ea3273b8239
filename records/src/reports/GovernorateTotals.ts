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
 * why not an aggregation). `clinicsOfDay` are the clinics the day's appointments name (ReportService), to place
 * each appointment in its governorate; `governorates` are all of them with their clinic counts, each a row even
 * when nothing is booked there.
 */
export class GovernorateTotals {
  readonly #governorateOfClinic: Map<string, string>;
  readonly #rows = new Map<string, GovernorateTotalsRow>();

  constructor(
    clinicsOfDay: Iterable<{ id: string; governorate: string }>,
    governorates: Iterable<{ governorate: string; clinics: number }>,
  ) {
    this.#governorateOfClinic = new Map();
    for (const { id, governorate } of clinicsOfDay) this.#governorateOfClinic.set(id, governorate);
    for (const { governorate, clinics } of governorates) this.#row(governorate).clinics = clinics;
  }

  /** Counts `times` appointments of one clinic in one status (one, when streamed one by one). */
  add(appointment: { clinicId: { toHexString(): string } | string; status: string }, times = 1): void {
    const { clinicId } = appointment;
    const governorate = this.#governorateOfClinic.get(
      typeof clinicId === 'string' ? clinicId : clinicId.toHexString(),
    );
    const count = countOf[appointment.status as AppointmentStatus];
    // An appointment of a clinic closed since, or in a status added later, counts nowhere rather than wrongly.
    if (governorate === undefined || count === undefined) return;
    const row = this.#row(governorate);
    row.appointments += times;
    row[count] += times;
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
