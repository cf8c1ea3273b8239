import { pageQuerySchema } from '@telemed/shared';
import { Router } from 'express';
import { parseInput } from '../../api/validate.js';
import type { BulkExportOverview } from '../../fhir/bulk/BulkExportOverview.js';
import { callerOf } from '../requestContext.js';

/** `/api/bulk-exports`: administrators watch the Bulk Data exports, running and recent, with their progress. */
export function bulkExportListRoutes(overview: BulkExportOverview): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    // The service holds the rule (administrators only) and audits its refusal as a read of the exports.
    res.json(await overview.list(callerOf(req), parseInput(pageQuerySchema, req.query, 'query')));
  });
  return router;
}
