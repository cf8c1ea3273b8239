import {
  defaultTimeZone,
  governorateTotalsQuerySchema,
  type ReportRow,
  reportQuerySchema,
} from '@telemed/shared';
import { Router } from 'express';
import { DateTime } from 'luxon';
import { csvByteOrderMark, csvLine } from '../../api/csv.js';
import { parseInput } from '../../api/validate.js';
import type { ReportService } from '../../reports/ReportService.js';
import { preferredLocale } from '../preferredLocale.js';
import { requireRole } from '../requestContext.js';

/** Activity reports for administrators: counts, rates and median times, as JSON or CSV; today's totals. */
export function reportRoutes(reports: ReportService): Router {
  const router = Router();
  router.get('/consultations', async (req, res) => {
    requireRole(req, 'administrator');
    const query = parseInput(reportQuerySchema, req.query, 'report query');
    const report = await reports.consultations(query, preferredLocale(req.headers['accept-language']));
    if (query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        `attachment; filename="consultations-${query.from}-${query.to}.csv"`,
      );
      res.send(`${csvByteOrderMark}${toCsv(report.rows)}`);
      return;
    }
    res.json(report);
  });
  router.get('/governorates', async (req, res) => {
    requireRole(req, 'administrator');
    const { date = DateTime.now().setZone(defaultTimeZone).toISODate() as string } = parseInput(
      governorateTotalsQuerySchema,
      req.query,
      'governorate totals query',
    );
    res.json(await reports.governorateTotals(date));
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
