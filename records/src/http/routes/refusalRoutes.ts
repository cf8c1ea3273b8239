import { signalingRefusalSchema } from '@telemed/shared';
import { Router } from 'express';
import { parseInput } from '../../api/validate.js';
import type { SignalingRefusals } from '../../audit/SignalingRefusals.js';
import { callerOf } from '../requestContext.js';

/**
 * `POST /api/signaling-refusals`: any signed-in user's refusal, as signaling reports it with their token.
 * Every role: signaling refuses every role something (an auditor's room event is refused too).
 */
export function refusalRoutes(refusals: SignalingRefusals): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const caller = callerOf(req);
    await refusals.record(caller, parseInput(signalingRefusalSchema, req.body, 'refusal'));
    res.status(204).end();
  });
  return router;
}
