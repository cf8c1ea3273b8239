import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../api/validate.js';
import type { Icd10Catalog } from '../../icd10/Icd10Catalog.js';
import { requireRole } from '../requestContext.js';

const querySchema = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Diagnosis code search by code or by word, in Arabic or English. */
export function icd10Routes(catalog: Icd10Catalog): Router {
  const router = Router();
  router.get('/', (req, res) => {
    requireRole(req, 'clinic_doctor', 'specialist');
    const { q, limit } = parseInput(querySchema, req.query, 'query');
    res.json({ items: catalog.search(q, { limit }) });
  });
  return router;
}
