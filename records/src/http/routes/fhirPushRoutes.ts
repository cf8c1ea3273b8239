import { fhirPushQuerySchema, fhirPushRetryParamsSchema, pageQuerySchema } from '@telemed/shared';
import { Router } from 'express';
import { parseInput } from '../../api/validate.js';
import type { FhirPushQueue } from '../../fhir/push/FhirPushQueue.js';
import { callerOf } from '../requestContext.js';

/** `/api/fhir-push`: administrators watch the push to the hospital's FHIR server and retry a failed item. */
export function fhirPushRoutes(queue: FhirPushQueue): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const caller = callerOf(req, ['administrator']);
    const { state } = parseInput(fhirPushQuerySchema, req.query, 'query');
    const { page, limit } = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await queue.list(caller, { state, page, limit }));
  });
  router.post('/:consultationId/:version/retry', async (req, res) => {
    const caller = callerOf(req, ['administrator']);
    const { consultationId, version } = parseInput(fhirPushRetryParamsSchema, req.params, 'item');
    res.json(await queue.retry(caller, consultationId, version));
  });
  return router;
}
