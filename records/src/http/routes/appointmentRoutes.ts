import {
  appointmentCreateSchema,
  appointmentListQuerySchema,
  appointmentStatusChangeSchema,
  pageQuerySchema,
  urgentRequestSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { z } from 'zod';
import { parseId, parseInput } from '../../api/validate.js';
import { type AppointmentService, appointmentRoles } from '../../appointments/AppointmentService.js';
import { callerOf } from '../requestContext.js';

/** The scheduling API over AppointmentService: parse the request, call the service, answer. */
export function appointmentRoutes(service: AppointmentService): { appointments: Router; urgent: Router } {
  const appointments = Router();
  const urgent = Router();

  appointments.post('/', async (req, res) => {
    const caller = callerOf(req, appointmentRoles.book);
    const input = parseInput(appointmentCreateSchema, req.body, 'appointment');
    res.status(201).json(await service.book(caller, input));
  });

  appointments.get('/', async (req, res) => {
    const caller = callerOf(req, appointmentRoles.list);
    const query = parseInput(appointmentListQuerySchema, req.query, 'query');
    const page = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await service.list(caller, query, page));
  });

  appointments.get('/:id', async (req, res) => {
    res.json(await service.read(callerOf(req), req.params.id));
  });

  appointments.post('/:id/status', async (req, res) => {
    const caller = callerOf(req);
    // An unknown appointment is NOT_FOUND whatever the body says, as the service would tell.
    const id = parseId(req.params.id, 'appointment');
    const change = parseInput(appointmentStatusChangeSchema, req.body, 'status change');
    res.json(await service.changeStatus(caller, id, change));
  });

  urgent.post('/', async (req, res) => {
    const caller = callerOf(req, appointmentRoles.requestUrgent);
    const input = parseInput(urgentRequestSchema, req.body, 'urgent request');
    res.status(201).json(await service.requestUrgent(caller, input));
  });

  urgent.get('/', async (req, res) => {
    const caller = callerOf(req, appointmentRoles.urgentQueue);
    const { specialty } = parseInput(
      z.object({ specialty: z.string().max(64).optional() }),
      req.query,
      'query',
    );
    res.json({ items: await service.urgentQueue(caller, specialty) });
  });

  urgent.post('/:id/pick', async (req, res) => {
    res.json(await service.pick(callerOf(req, appointmentRoles.pick), req.params.id));
  });

  return { appointments, urgent };
}
