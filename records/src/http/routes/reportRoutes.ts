import { defaultTimeZone, type ReportRow, reportQuerySchema, specialtyLabels } from '@telemed/shared';
import { Router } from 'express';
import type { RecordsContext } from '../../RecordsContext.js';
import { dayBounds } from '../../scheduling/availabilityCheck.js';
import { requireRole } from '../requestContext.js';
import { parseInput } from '../validate.js';

interface GroupStats {
  _id: unknown;
  appointments: number;
  completed: number;
  cancelled: number;
  noShow: number;
  waits: (number | null)[];
  durations: (number | null)[];
}

/** Activity reports for administrators: counts, rates and median times, as JSON or CSV. */
export function reportRoutes({ models }: RecordsContext): Router {
  const router = Router();
  router.get('/consultations', async (req, res) => {
    requireRole(req, 'administrator');
    const query = parseInput(reportQuerySchema, req.query, 'report query');
    const from = dayBounds(query.from, defaultTimeZone).start;
    const to = dayBounds(query.to, defaultTimeZone).end;
    const groupKey =
      query.groupBy === 'clinic'
        ? '$clinicId'
        : query.groupBy === 'specialty'
          ? '$specialty'
          : { $dateToString: { format: '%Y-%m-%d', date: '$start', timezone: defaultTimeZone } };
    const minutesBetween = (a: string, b: string) => ({
      $cond: [{ $and: [`$${a}`, `$${b}`] }, { $divide: [{ $subtract: [`$${b}`, `$${a}`] }, 60_000] }, null],
    });
    const stats = await models.Appointment.aggregate<GroupStats>([
      { $match: { start: { $gte: from, $lt: to } } },
      {
        $group: {
          _id: groupKey,
          appointments: { $sum: 1 },
          completed: { $sum: { $cond: [{ $eq: ['$status', 'completed'] }, 1, 0] } },
          cancelled: { $sum: { $cond: [{ $eq: ['$status', 'cancelled'] }, 1, 0] } },
          noShow: { $sum: { $cond: [{ $eq: ['$status', 'no-show'] }, 1, 0] } },
          waits: { $push: minutesBetween('start', 'specialistJoinedAt') },
          durations: { $push: minutesBetween('specialistJoinedAt', 'completedAt') },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    const clinicNames =
      query.groupBy === 'clinic'
        ? new Map(
            (await models.Organization.find({ kind: 'clinic' }, { name: 1 }).lean()).map((o) => [
              o._id.toHexString(),
              o.name.ar,
            ]),
          )
        : new Map<string, string>();
    const rows: ReportRow[] = stats.map((s) => {
      const group = String(s._id);
      return {
        group,
        label:
          query.groupBy === 'clinic'
            ? (clinicNames.get(group) ?? group)
            : query.groupBy === 'specialty'
              ? (specialtyLabels[group as keyof typeof specialtyLabels]?.ar ?? group)
              : group,
        appointments: s.appointments,
        completed: s.completed,
        cancelled: s.cancelled,
        noShow: s.noShow,
        cancellationRate: round(s.cancelled / s.appointments),
        noShowRate: round(s.noShow / s.appointments),
        medianWaitMinutes: median(s.waits),
        medianDurationMinutes: median(s.durations),
      };
    });
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function median(values: (number | null)[]): number | null {
  const sorted = values.filter((v): v is number => typeof v === 'number' && v >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
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
