import { type AuditEvent, auditQuerySchema, pageQuerySchema } from '@telemed/shared';
import { Router } from 'express';
import { toApi } from '../../api/serialize.js';
import { parseInput } from '../../api/validate.js';
import { auditEventFilter } from '../../audit/auditEventFilter.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { actorOf, requireRole } from '../requestContext.js';

/** The audit trail, newest first: auditors and administrators only, and reading it is itself audited. */
export function auditRoutes({ models, audit }: RecordsContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    requireRole(req, 'auditor', 'administrator');
    const query = parseInput(auditQuerySchema, req.query, 'query');
    const { page, limit } = parseInput(pageQuerySchema, req.query, 'query');
    const filter = auditEventFilter(query);
    const docs = await models.AuditEvent.find(filter)
      .sort({ at: -1 })
      .skip((page - 1) * limit)
      .limit(limit)
      .lean();
    await audit.record(actorOf(req), {
      action: 'read',
      resourceType: 'audit-log',
      outcome: 'success',
      reason: JSON.stringify(query).slice(0, 200),
    });
    // No total: counting a million events on every page costs more than it tells.
    res.json({ items: docs.map((d) => toApi<AuditEvent>(d)), page, limit });
  });
  return router;
}
