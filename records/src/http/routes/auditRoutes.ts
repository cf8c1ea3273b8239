import {
  AppError,
  type AuditEvent,
  auditExportLimit,
  auditQuerySchema,
  pageQuerySchema,
} from '@telemed/shared';
import { Router } from 'express';
import { csvByteOrderMark, csvLine } from '../../api/csv.js';
import { toApi } from '../../api/serialize.js';
import { parseId, parseInput } from '../../api/validate.js';
import { auditEventFilter } from '../../audit/auditEventFilter.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { actorOf, requireRole } from '../requestContext.js';

const csvColumns = [
  'id',
  'at',
  'actorId',
  'actorRole',
  'action',
  'resourceType',
  'resourceIds',
  'patientIds',
  'outcome',
  'reason',
  'ip',
  'via',
] as const satisfies readonly (keyof AuditEvent)[];

/**
 * The audit trail, newest first, as pages of JSON or as one CSV export: auditors and administrators only, and
 * reading it or exporting it is itself audited, with the filter used.
 */
export function auditRoutes({ models, audit }: RecordsContext): { trail: Router; trailCsv: Router } {
  const trail = Router();
  trail.get('/', async (req, res) => {
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

  trail.get('/:id', async (req, res) => {
    requireRole(req, 'auditor', 'administrator');
    const id = parseId(req.params.id, 'audit event');
    const doc = await models.AuditEvent.findById(id).lean();
    // Audited like a page of the trail: who looked at which event (found or not) is itself part of the record.
    await audit.record(actorOf(req), {
      action: 'read',
      resourceType: 'audit-log',
      resourceId: id,
      outcome: doc ? 'success' : 'failed',
    });
    if (!doc)
      throw new AppError('NOT_FOUND', {
        en: 'No such audit event.',
        ar: 'هذا الحدث غير موجود في سجل التدقيق.',
      });
    res.json(toApi<AuditEvent>(doc));
  });

  const trailCsv = Router();
  trailCsv.get('/', async (req, res) => {
    requireRole(req, 'auditor', 'administrator');
    const query = parseInput(auditQuerySchema, req.query, 'query');
    // Audited before the first byte: an export cut off half-way has still been taken.
    await audit.record(actorOf(req), {
      action: 'export',
      resourceType: 'audit-log',
      outcome: 'success',
      reason: JSON.stringify(query).slice(0, 200),
    });
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="audit-events.csv"');
    res.write(`${csvByteOrderMark}${csvLine(csvColumns)}`);
    // Streamed in batches: the export never holds the whole trail in memory, and the store serves others between.
    const events = models.AuditEvent.find(auditEventFilter(query))
      .sort({ at: -1 })
      .limit(auditExportLimit)
      .lean()
      .cursor({ batchSize: 1000 });
    for await (const doc of events) {
      const event = toApi<AuditEvent>(doc);
      if (!res.write(csvLine(csvColumns.map((column) => event[column])))) {
        await new Promise((resolve) => res.once('drain', resolve));
      }
    }
    res.end();
  });
  return { trail, trailCsv };
}
