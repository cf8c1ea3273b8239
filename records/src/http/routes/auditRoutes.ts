import { type AuditEvent, auditLookupQuerySchema, auditQuerySchema, pageQuerySchema } from '@telemed/shared';
import { Router } from 'express';
import { csvByteOrderMark, csvLine } from '../../api/csv.js';
import { parseInput } from '../../api/validate.js';
import { type AuditTrailService, auditTrailRoles } from '../../audit/AuditTrailService.js';
import { callerOf } from '../requestContext.js';

const csvColumns = [
  'id',
  'at',
  'actorId',
  'actorUsername',
  'actorNameLatin',
  'actorNameAr',
  'actorRole',
  'action',
  'resourceType',
  'resourceIds',
  'patientIds',
  'patientMrns',
  'patientNamesLatin',
  'patientNamesAr',
  'outcome',
  'reason',
  'ip',
  'via',
] as const;

/** One CSV row of an event, names beside the ids (several patients are joined with "; "). */
function csvRow(event: AuditEvent): unknown[] {
  const patients = event.patients ?? [];
  const joined = (values: string[]) => values.join('; ');
  const cells: Partial<Record<(typeof csvColumns)[number], unknown>> = {
    ...event,
    actorUsername: event.actor?.username,
    actorNameLatin: event.actor?.name.latin,
    actorNameAr: event.actor?.name.ar,
    patientMrns: joined(patients.map((p) => p.mrn)),
    patientNamesLatin: joined(patients.map((p) => p.name.latin)),
    patientNamesAr: joined(patients.map((p) => p.name.ar)),
  };
  return csvColumns.map((column) => cells[column]);
}

/**
 * The audit trail over AuditTrailService, newest first, as pages of JSON or as one CSV export, and the
 * lookups of people and patients to filter it by: parse the request, call the service, answer.
 */
export function auditRoutes(trailService: AuditTrailService): {
  trail: Router;
  trailCsv: Router;
  lookups: Router;
} {
  const trail = Router();
  trail.get('/', async (req, res) => {
    const caller = callerOf(req, auditTrailRoles.trail);
    const query = parseInput(auditQuerySchema, req.query, 'query');
    const paging = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await trailService.page(caller, query, paging));
  });

  trail.get('/:id', async (req, res) => {
    res.json(await trailService.one(callerOf(req, auditTrailRoles.trail), req.params.id));
  });

  const trailCsv = Router();
  trailCsv.get('/', async (req, res) => {
    const caller = callerOf(req, auditTrailRoles.trail);
    const query = parseInput(auditQuerySchema, req.query, 'query');
    const batches = trailService.export(caller, query);
    // The first batch (and the export's audit event) before the headers: a failure still answers as an error.
    let next = await batches.next();
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="audit-events.csv"');
    res.write(`${csvByteOrderMark}${csvLine(csvColumns)}`);
    while (!next.done) {
      const text = next.value.map((event) => csvLine(csvRow(event))).join('');
      if (!res.write(text)) await new Promise((resolve) => res.once('drain', resolve));
      next = await batches.next();
    }
    res.end();
  });

  const lookups = Router();
  lookups.get('/people', async (req, res) => {
    const caller = callerOf(req, auditTrailRoles.people);
    const { q } = parseInput(auditLookupQuerySchema, req.query, 'query');
    const paging = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await trailService.people(caller, q, paging));
  });
  lookups.get('/patients', async (req, res) => {
    const caller = callerOf(req, auditTrailRoles.patients);
    const { q } = parseInput(auditLookupQuerySchema, req.query, 'query');
    const paging = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await trailService.patients(caller, q, paging));
  });
  return { trail, trailCsv, lookups };
}
