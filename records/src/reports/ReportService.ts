import {
  defaultTimeZone,
  type GovernorateTotals as GovernorateTotalsAnswer,
  type Locale,
  type Report,
  type ReportGrouping,
  specialtyLabels,
} from '@telemed/shared';
import { Types } from 'mongoose';
import { dayBounds } from '../appointments/availabilityCheck.js';
import type { Models } from '../models/registerModels.js';
import {
  type AppointmentFacts,
  appointmentFactsProjection,
  ConsultationReport,
} from './ConsultationReport.js';
import { GovernorateTotals } from './GovernorateTotals.js';

type Labels = { ar: string; en: string };

/**
 * Activity reports and today's totals for administrators. Appointments stream from the database in batches;
 * the clinics named are then read by id, only those the appointments name: a ministry has thousands of clinics
 * and a report of one week names a few of them.
 */
export class ReportService {
  readonly #models: Models;

  constructor(models: Models) {
    this.#models = models;
  }

  /** Counts, rates and median times per clinic, specialty or day; each row labelled in both languages. */
  async consultations(
    query: { from: string; to: string; groupBy: ReportGrouping },
    locale: Locale,
  ): Promise<Report> {
    const from = dayBounds(query.from, defaultTimeZone).start;
    const to = dayBounds(query.to, defaultTimeZone).end;
    const report = new ConsultationReport(query.groupBy, defaultTimeZone);
    // Batches of a thousand: the database serves other requests between two of them.
    const appointments = this.#models.Appointment.find(
      { start: { $gte: from, $lt: to } },
      appointmentFactsProjection,
    )
      .lean<AppointmentFacts[]>()
      .cursor({ batchSize: 1000 });
    for await (const appointment of appointments) report.add(appointment);
    const clinicNames =
      query.groupBy === 'clinic' ? await this.#clinicNames(report.groups()) : new Map<string, Labels>();
    const labelsOf = (group: string): Labels =>
      (query.groupBy === 'clinic'
        ? clinicNames.get(group)
        : query.groupBy === 'specialty'
          ? specialtyLabels[group as keyof typeof specialtyLabels]
          : undefined) ?? { ar: group, en: group };
    const rows = report
      .rows((group) => labelsOf(group)[locale])
      .map((row) => ({ ...row, labels: labelsOf(row.group) }));
    return { from: query.from, to: query.to, groupBy: query.groupBy, rows };
  }

  /**
   * One day's appointments per governorate by status. Every governorate with a clinic shows, one where nothing
   * is booked with zeros: a silent governorate is what a governance centre most needs to see.
   */
  async governorateTotals(date: string): Promise<GovernorateTotalsAnswer> {
    const { start, end } = dayBounds(date, defaultTimeZone);
    const appointments = this.#models.Appointment.find(
      { start: { $gte: start, $lt: end } },
      { _id: 0, clinicId: 1, status: 1 },
    )
      .lean<{ clinicId: Types.ObjectId; status: string }[]>()
      .cursor({ batchSize: 1000 });
    // Tallied per clinic and status first: the clinics' governorates are read once the day names them.
    const perClinic = new Map<string, Map<string, number>>();
    for await (const { clinicId, status } of appointments) {
      const id = clinicId.toHexString();
      let statuses = perClinic.get(id);
      if (!statuses) {
        statuses = new Map();
        perClinic.set(id, statuses);
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const clinics =
      perClinic.size === 0
        ? []
        : await this.#models.Organization.find(
            { _id: { $in: [...perClinic.keys()].map((id) => new Types.ObjectId(id)) }, kind: 'clinic' },
            { governorate: 1 },
          ).lean();
    // One grouped count (over kind and governorate, both in an index), not a read of every clinic.
    const clinicsPerGovernorate = await this.#models.Organization.aggregate<{ _id: string; clinics: number }>(
      [{ $match: { kind: 'clinic' } }, { $group: { _id: '$governorate', clinics: { $sum: 1 } } }],
    );
    const totals = new GovernorateTotals(
      clinics.map((c) => ({ id: c._id.toHexString(), governorate: c.governorate })),
      clinicsPerGovernorate.map((g) => ({ governorate: g._id, clinics: g.clinics })),
    );
    for (const [clinicId, statuses] of perClinic) {
      for (const [status, times] of statuses) totals.add({ clinicId, status }, times);
    }
    return { date, timeZone: defaultTimeZone, rows: totals.rows() };
  }

  async #clinicNames(ids: string[]): Promise<Map<string, Labels>> {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
    if (valid.length === 0) return new Map();
    const clinics = await this.#models.Organization.find(
      { _id: { $in: valid }, kind: 'clinic' },
      { name: 1 },
    ).lean();
    return new Map(clinics.map((o) => [o._id.toHexString(), { ar: o.name.ar, en: o.name.en }]));
  }
}
