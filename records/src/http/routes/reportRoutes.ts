import { defaultTimeZone, type ReportRow, reportQuerySchema, specialtyLabels } from '@telemed/shared';
import { Router } from 'express';
import { parseInput } from '../../api/validate.js';
import { dayBounds } from '../../appointments/availabilityCheck.js';
import type { RecordsContext } from '../../RecordsContext.js';
import {
  type AppointmentFacts,
  appointmentFactsProjection,
  ConsultationReport,
} from '../../reports/ConsultationReport.js';
import { requireRole } from '../requestContext.js';

/** Activity reports for administrators: counts, rates and median times, as JSON or CSV. */
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
              o.name.ar,
            ]),
          )
        : new Map<string, string>();
    const rows = report.rows((group) =>
      query.groupBy === 'clinic'
        ? (clinicNames.get(group) ?? group)
        : query.groupBy === 'specialty'
          ? (specialtyLabels[group as keyof typeof specialtyLabels]?.ar ?? group)
          : group,
    );
    if (query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        `attachment; filename="consultations-${query.from}-${query.to}.csv"`,
      );
      // The byte-order mark makes spreadsheet programs read the Arabic labels as UTF-8.
      res.send(`\uFEFF${toCsv(rows)}`);
      return;
    }
    res.json({ from: query.from, to: query.to, groupBy: query.groupBy, rows });
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
  const csvCell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    // Leading = + - @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join(
    '\r\n',
  );
}
