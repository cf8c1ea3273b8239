import {
  pageQuerySchema,
  patientInputSchema,
  patientSearchQuerySchema,
  patientUpdateSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { parseInput } from '../../api/validate.js';
import { type PatientService, patientRoles } from '../../patients/PatientService.js';
import { callerOf } from '../requestContext.js';

/** The patient API over PatientService: parse the request, call the service, answer. */
export function patientRoutes(patients: PatientService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const caller = callerOf(req);
    const scope = await patients.searchScope(caller);
    const query = parseInput(patientSearchQuerySchema, req.query, 'query');
    const { page, limit } = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await patients.search(caller, scope, { ...query, page, limit }));
  });

  router.post('/', async (req, res) => {
    const caller = callerOf(req, patientRoles.register);
    const input = parseInput(patientInputSchema, req.body, 'patient');
    res.status(201).json(await patients.register(caller, input));
  });

  router.get('/:id', async (req, res) => {
    res.json(await patients.read(callerOf(req), req.params.id));
  });

  router.patch('/:id', async (req, res) => {
    const caller = callerOf(req, patientRoles.update);
    const changes = parseInput(patientUpdateSchema, req.body, 'patient changes');
    res.json(await patients.update(caller, req.params.id, changes));
  });

  return router;
}
