import { z } from 'zod';

export const serviceNameSchema = z.enum([
  'records',
  'signaling',
  'sfu',
  'embedded-mongo',
  'clinic-app',
  'specialist-app',
  'admin-app',
]);
export type ServiceName = z.infer<typeof serviceNameSchema>;

/** Body of `GET /healthz` (the process is alive) and `GET /readyz` (its dependencies answer too). */
export const healthReportSchema = z.object({
  service: serviceNameSchema,
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })).optional(),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
