import { pipeline } from 'node:stream/promises';
import {
  AppError,
  chatMessageInputSchema,
  consultationAmendmentSchema,
  consultationUpdateSchema,
  maxAttachmentBytes,
  noteListQuerySchema,
  pageQuerySchema,
  vitalSignInputSchema,
} from '@telemed/shared';
import express, { Router } from 'express';
import { parseInput } from '../../api/validate.js';
import { type ConsultationService, consultationRoles } from '../../consultations/ConsultationService.js';
import type { SpecialistNoteList } from '../../consultations/SpecialistNoteList.js';
import { callerOf } from '../requestContext.js';

/** The consultation API over ConsultationService: parse the request, call the service, answer. */
export function consultationRoutes(consultations: ConsultationService, notes: SpecialistNoteList): Router {
  const router = Router();

  router.get('/consultations', async (req, res) => {
    const caller = callerOf(req);
    const query = parseInput(noteListQuerySchema.extend(pageQuerySchema.shape), req.query, 'query');
    res.json(await notes.list(caller, query));
  });

  router.get('/appointments/:appointmentId/consultation', async (req, res) => {
    const caller = callerOf(req, consultationRoles.open);
    res.json(await consultations.openForAppointment(caller, req.params.appointmentId));
  });

  router.get('/patients/:patientId/consultations', async (req, res) => {
    const caller = callerOf(req);
    res.json({ items: await consultations.listForPatient(caller, req.params.patientId) });
  });

  router.get('/consultations/:id', async (req, res) => {
    const caller = callerOf(req);
    res.json(await consultations.read(caller, req.params.id));
  });

  router.patch('/consultations/:id', async (req, res) => {
    const caller = callerOf(req, consultationRoles.write);
    const input = parseInput(consultationUpdateSchema, req.body, 'consultation changes');
    res.json(await consultations.update(caller, req.params.id, input));
  });

  router.post('/consultations/:id/vital-signs', async (req, res) => {
    const caller = callerOf(req, consultationRoles.vitalSigns);
    const input = parseInput(vitalSignInputSchema, req.body, 'vital sign');
    const { id } = req.params;
    res.status(201).json(await consultations.appendVitalSign(caller, id, input));
  });

  router.post('/consultations/:id/chat', async (req, res) => {
    const caller = callerOf(req, consultationRoles.write);
    const { text } = parseInput(chatMessageInputSchema, req.body, 'chat message');
    const { id } = req.params;
    res.status(201).json(await consultations.appendChat(caller, id, text));
  });

  router.post(
    '/consultations/:id/attachments',
    express.raw({ type: () => true, limit: maxAttachmentBytes }),
    async (req, res) => {
      const caller = callerOf(req, consultationRoles.write);
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      const fileName = decodeFileName(req.headers['x-file-name']);
      const { id } = req.params;
      const file = { contentType, fileName, body: req.body as unknown };
      res.status(201).json(await consultations.attach(caller, id, file));
    },
  );

  router.get('/consultations/:id/attachments/:attachmentId', async (req, res) => {
    const caller = callerOf(req);
    const { id, attachmentId } = req.params;
    const { attachment, content } = await consultations.readAttachment(caller, id, attachmentId);
    res.setHeader('content-type', attachment.contentType ?? 'application/octet-stream');
    res.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName ?? 'file')}`,
    );
    res.setHeader('x-content-type-options', 'nosniff');
    if (attachment.size) res.setHeader('content-length', String(attachment.size));
    await pipeline(content(), res);
  });

  router.post('/consultations/:id/sign', async (req, res) => {
    const caller = callerOf(req, consultationRoles.sign);
    const { version } = parseInput(consultationUpdateSchema.pick({ version: true }), req.body, 'signature');
    res.json(await consultations.sign(caller, req.params.id, version));
  });

  router.post('/consultations/:id/amendments', async (req, res) => {
    const caller = callerOf(req, consultationRoles.sign);
    const input = parseInput(consultationAmendmentSchema, req.body, 'amendment');
    res.json(await consultations.amend(caller, req.params.id, input));
  });

  return router;
}

function decodeFileName(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header[0] : header;
  let name = 'attachment';
  if (raw) {
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new AppError('VALIDATION_FAILED', {
        en: 'x-file-name must be URI-encoded.',
        ar: 'يجب أن يكون اسم الملف في الترويسة x-file-name بترميز URI.',
      });
    }
  }
  // Only the last path segment, no control characters: the name is shown and used in downloads.
  name =
    name
      .split(/[\\/]/)
      .pop()
      ?.replace(/\p{Cc}/gu, '')
      .trim() || 'attachment';
  return name.slice(0, 200);
}
