import { systemClientInputSchema } from '@telemed/shared';
import { Router } from 'express';
import { parseId, parseInput } from '../../api/validate.js';
import type { SystemClientService } from '../../systemClients/SystemClientService.js';
import { callerOf } from '../requestContext.js';

/** Administrators register, list and deactivate system clients (SMART Backend Services). */
export function systemClientRoutes(service: SystemClientService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json({ items: await service.list(callerOf(req, ['administrator'])) });
  });
  router.post('/', async (req, res) => {
    const caller = callerOf(req, ['administrator']);
    res
      .status(201)
      .json(await service.register(caller, parseInput(systemClientInputSchema, req.body, 'system client')));
  });
  router.post('/:id/deactivate', async (req, res) => {
    const caller = callerOf(req, ['administrator']);
    res.json(await service.deactivate(caller, parseId(req.params.id, 'system client')));
  });
  return router;
}
