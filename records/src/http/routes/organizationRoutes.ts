import {
  AppError,
  type Organization,
  organizationInputSchema,
  organizationKindSchema,
  organizationUpdateSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { z } from 'zod';
import { toApi } from '../../api/serialize.js';
import { parseId, parseInput } from '../../api/validate.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { requireRole } from '../requestContext.js';

const listQuerySchema = z.object({ kind: organizationKindSchema.optional() });

/** Clinics and hospitals: everyone signed in may list them (to pick a hospital); administrators manage them. */
export function organizationRoutes({ models }: RecordsContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { kind } = parseInput(listQuerySchema, req.query, 'query');
    const docs = await models.Organization.find(kind ? { kind } : {})
      .sort({ kind: 1, 'name.en': 1 })
      .limit(1000)
      .lean();
    res.json({ items: docs.map((d) => toApi<Organization>(d)) });
  });

  router.get('/:id', async (req, res) => {
    const doc = await models.Organization.findById(parseId(req.params.id, 'organization')).lean();
    if (!doc) throw new AppError('NOT_FOUND', { en: 'No such organization.', ar: 'هذه الجهة غير موجودة.' });
    res.json(toApi<Organization>(doc));
  });

  router.post('/', async (req, res) => {
    requireRole(req, 'administrator');
    const input = parseInput(organizationInputSchema, req.body, 'organization');
    if (input.kind === 'clinic' && input.specialties.length > 0) {
      throw new AppError('VALIDATION_FAILED', {
        en: 'Only hospitals list specialties.',
        ar: 'التخصصات تُذكر للمستشفيات فقط.',
      });
    }
    const doc = await models.Organization.create(input);
    res.status(201).json(toApi<Organization>(doc.toObject()));
  });

  router.patch('/:id', async (req, res) => {
    requireRole(req, 'administrator');
    const changes = parseInput(organizationUpdateSchema, req.body, 'organization changes');
    const doc = await models.Organization.findByIdAndUpdate(parseId(req.params.id, 'organization'), changes, {
      returnDocument: 'after',
      runValidators: true,
    }).lean();
    if (!doc) throw new AppError('NOT_FOUND', { en: 'No such organization.', ar: 'هذه الجهة غير موجودة.' });
    res.json(toApi<Organization>(doc));
  });

  return router;
}
