import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';

/** A Bulk Data export's state as the job in the database has it. */
export const bulkExportStateSchema = z.enum(['in-progress', 'completed', 'failed', 'cancelled']);
export type BulkExportState = z.infer<typeof bulkExportStateSchema>;

/**
 * What administrators see of a Bulk Data export: who runs it, what it asks for and how far it is; never its
 * files (clinical content, which only the system client that started it fetches).
 */
export const bulkExportSummarySchema = z.object({
  id: objectIdSchema,
  clientId: objectIdSchema,
  /** The system client's name; absent if the client was removed. */
  clientName: z.string().optional(),
  level: z.enum(['system', 'patient']),
  types: z.array(z.string()),
  since: z.string().optional(),
  state: bulkExportStateSchema,
  startedAt: z.string(),
  completedAt: z.string().optional(),
  /** Resources written so far, and the estimate made when the export started. */
  written: z.number().int(),
  estimatedTotal: z.number().int(),
  /** 0-100: written over the estimate while running (capped below 100), 100 once completed. */
  progressPercent: z.number().min(0).max(100),
});
export type BulkExportSummary = z.infer<typeof bulkExportSummarySchema>;
