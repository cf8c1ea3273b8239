import {
  defaultTimeZone,
  governorateTotalsQuerySchema,
  type ReportRow,
  reportQuerySchema,
  specialtyLabels,
} from '@telemed/shared';
import { Router } from 'express';
import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { csvByteOrderMark, csvLine } from '../../api/csv.js';
import { parseInput } from '../../api/validate.js';
import { dayBounds } from '../../appointments/availabilityCheck.js';
import type { RecordsContext } from '../../RecordsContext.js';
import {
  type AppointmentFacts,
  appointmentFactsProjection,
  ConsultationReport,
} from '../../reports/ConsultationReport.js';
import { GovernorateTotals } from '../../reports/GovernorateTotals.js';
import { preferredLocale } from '../preferredLocale.js';
import { requireRole } from '../requestContext.js';

/** Activity reports for administrators: counts, rates and median times, as JSON or CSV; today's totals. */
export function reportRoutes({ models }: RecordsContext): Router {
  const router = Router();
  router.get('/consultations', async (req, res) => {
    requireRole(req, 'administrator');
    const query = parseInput(reportQuerySchema, req.query, 'report query');
    const from = dayBounds(query.from, defaultTimeZone).start;
    const to = dayBounds(query.to, defaultTimeZone).end;
    const report = new ConsultationReport(query.groupBy, defaultTimeZone);
    // Batches of a thousand: the database serves other requests between two of them.
    const appointments = models.Appointment.find(
      { start: { $gte: from, $lt: to } },
      appointmentFactsProjection,
    )
      .lean<AppointmentFacts[]>()
      .cursor({ batchSize: 1000 });
    for await (const appointment of appointments) report.add(appointment);
    const clinicNames =
      query.groupBy === 'clinic'
        ? new Map(
            (await models.Organization.find({ kind: 'clinic' }, { name: 1 }).lean()).map((o) => [
              o._id.toHexString(),
              { ar: o.name.ar, en: o.name.en },
            ]),
          )
        : new Map<string, { ar: string; en: string }>();
    const labelsOf = (group: string): { ar: string; en: string } =>
      (query.groupBy === 'clinic'
        ? clinicNames.get(group)
        : query.groupBy === 'specialty'
          ? specialtyLabels[group as keyof typeof specialtyLabels]
          : undefined) ?? { ar: group, en: group };
    const locale = preferredLocale(req.headers['accept-language']);
    const rows = report
      .rows((group) => labelsOf(group)[locale])
      .map((row) => ({ ...row, labels: labelsOf(row.group) }));
    if (query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        `attachment; filename="consultations-${query.from}-${query.to}.csv"`,
      );
      res.send(`${csvByteOrderMark}${toCsv(rows)}`);
      return;
    }
    res.json({ from: query.from, to: query.to, groupBy: query.groupBy, rows });
  });
  router.get('/governorates', async (req, res) => {
    requireRole(req, 'administrator');
    const { date = DateTime.now().setZone(defaultTimeZone).toISODate() as string } = parseInput(
      governorateTotalsQuerySchema,
      req.query,
      'governorate totals query',
    );
    const { start, end } = dayBounds(date, defaultTimeZone);
    const clinics = await models.Organization.find({ kind: 'clinic' }, { governorate: 1 }).lean();
    const totals = new GovernorateTotals(
      clinics.map((c) => ({ id: c._id.toHexString(), governorate: c.governorate })),
    );
    const appointments = models.Appointment.find(
      { start: { $gte: start, $lt: end } },
      { _id: 0, clinicId: 1, status: 1 },
    )
      .lean<{ clinicId: Types.ObjectId; status: string }[]>()
      .cursor({ batchSize: 1000 });
    for await (const appointment of appointments) totals.add(appointment);
    res.json({ date, timeZone: defaultTimeZone, rows: totals.rows() });
  });
  return router;
}

function toCsv(rows: ReportRow[]): string {
  const columns: (keyof ReportRow)[] = [
    'group',
    'label',
    'appointments',
    'completed',
    'cancelled',
    'noShow',
    'cancellationRate',
    'noShowRate',
    'medianWaitMinutes',
    'medianDurationMinutes',
  ];
  return [columns, ...rows.map((row) => columns.map((c) => row[c]))]
    .map((values) => csvLine(values))
    .join('')
    .replace(/\r\n$/, '');
}
