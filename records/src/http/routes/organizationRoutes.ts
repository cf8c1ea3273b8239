import {
  AppError,
  type Organization,
  organizationInputSchema,
  organizationListQuerySchema,
  organizationUpdateSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { toApi } from '../../api/serialize.js';
import { parseId, parseInput } from '../../api/validate.js';
import { findPage } from '../../db/findPage.js';
import { organizationListFilter } from '../../organizations/organizationListFilter.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { requireRole } from '../requestContext.js';

/**
 * Clinics and hospitals: everyone signed in may list them (to pick one), a page at a time with filters and a
 * name search; administrators manage them.
 */
export function organizationRoutes({ models }: RecordsContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { page, limit, ...filters } = parseInput(organizationListQuerySchema, req.query, 'query');
    const filter = organizationListFilter(filters);
    // A ministry's clinics run to thousands, not millions: a page, counted for the page numbers, both indexed.
    const [docs, total] = await Promise.all([
      findPage<Record<string, unknown>>(models.Organization, {
        filter,
        projection: { searchTerms: 0 },
        sort: { kind: 1, 'name.en': 1 },
        skip: (page - 1) * limit,
        limit,
      }),
      models.Organization.countDocuments(filter),
    ]);
    res.json({
      items: docs.map((d) => toApi<Organization>(d)),
      page,
      limit,
      total,
      hasMore: page * limit < total,
    });
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
