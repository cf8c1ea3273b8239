import { z } from 'zod';
import { isoDateSchema } from './common.js';

export const reportQuerySchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    groupBy: z.enum(['clinic', 'specialty', 'day']).default('clinic'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from <= q.to, { message: '"to" must not be before "from"', path: ['to'] });

export const reportRowSchema = z.object({
  group: z.string(),
  /** The group's name in the language the request asked for (`Accept-Language`), as the CSV has it. */
  label: z.string(),
  /** The group's name in both languages, so a screen shows the person's whichever language it asked in. */
  labels: z.object({ ar: z.string(), en: z.string() }),
  appointments: z.number(),
  completed: z.number(),
  cancelled: z.number(),
  noShow: z.number(),
  cancellationRate: z.number(),
  noShowRate: z.number(),
  /** Minutes from the appointment's start to the specialist joining; median over completed ones. */
  medianWaitMinutes: z.number().nullable(),
  /** Minutes from the specialist joining to completion; median over completed ones. */
  medianDurationMinutes: z.number().nullable(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;
export type ReportGrouping = z.infer<typeof reportQuerySchema>['groupBy'];

/** The JSON form of a report (`format=json`); `format=csv` answers the same rows as CSV text. */
export const reportSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  groupBy: z.enum(['clinic', 'specialty', 'day']),
  rows: z.array(reportRowSchema),
});
export type Report = z.infer<typeof reportSchema>;

/** One day's totals per governorate, for the governance dashboard: the day in the hospital's zone, today if none. */
export const governorateTotalsQuerySchema = z.object({ date: isoDateSchema.optional() });

/** Counts of one governorate's appointments on the day, by status; no patient and no person in them. */
export const governorateTotalsRowSchema = z.object({
  governorate: z.string(),
  clinics: z.number().int(),
  appointments: z.number().int(),
  scheduled: z.number().int(),
  waiting: z.number().int(),
  inProgress: z.number().int(),
  completed: z.number().int(),
  cancelled: z.number().int(),
  noShow: z.number().int(),
});
export type GovernorateTotalsRow = z.infer<typeof governorateTotalsRowSchema>;

export const governorateTotalsSchema = z.object({
  date: isoDateSchema,
  timeZone: z.string(),
  rows: z.array(governorateTotalsRowSchema),
});
export type GovernorateTotals = z.infer<typeof governorateTotalsSchema>;
