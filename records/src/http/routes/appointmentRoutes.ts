import {
  appointmentCreateSchema,
  appointmentListQuerySchema,
  appointmentStatusChangeSchema,
  callEventInputSchema,
  callInvitationInputSchema,
  pageQuerySchema,
  urgentRequestSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { z } from 'zod';
import { parseId, parseInput } from '../../api/validate.js';
import { type AppointmentService, appointmentRoles } from '../../appointments/AppointmentService.js';
import { type CallService, callRoles } from '../../appointments/CallService.js';
import { callerOf } from '../requestContext.js';

/** The scheduling API over AppointmentService: parse the request, call the service, answer. */
export function appointmentRoutes(
  service: AppointmentService,
  calls: CallService,
): { appointments: Router; urgent: Router } {
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

  appointments.post('/:id/invitations', async (req, res) => {
    const caller = callerOf(req, callRoles.invite);
    const id = parseId(req.params.id, 'appointment');
    const { specialistId } = parseInput(callInvitationInputSchema, req.body, 'invitation');
    res.status(201).json(await calls.invite(caller, id, specialistId));
  });

  appointments.delete('/:id/invitations/:specialistId', async (req, res) => {
    const caller = callerOf(req, callRoles.invite);
    res.json(await calls.withdraw(caller, req.params.id, req.params.specialistId));
  });

  appointments.post('/:id/call-events', async (req, res) => {
    const caller = callerOf(req, callRoles.events);
    const id = parseId(req.params.id, 'appointment');
    const event = parseInput(callEventInputSchema, req.body, 'call event');
    res.json(await calls.recordEvent(caller, id, event));
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
