import type { AuditQuery } from '@telemed/shared';

/**
 * The database filter of an audit-log query. Each criterion alone is served by an index of AuditEvent (with
 * `at`, the order of the list): a filter the indexes did not cover would read a million events to find a
 * page of rare ones (e.g. refusals).
 */
export function auditEventFilter(query: AuditQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.actorId) filter.actorId = query.actorId;
  if (query.patientId) filter.patientIds = query.patientId;
  if (query.action) filter.action = query.action;
  if (query.resourceType) filter.resourceType = query.resourceType;
  if (query.outcome) filter.outcome = query.outcome;
  if (query.from || query.to) {
    filter.at = {
      ...(query.from ? { $gte: new Date(query.from) } : {}),
      ...(query.to ? { $lt: new Date(query.to) } : {}),
    };
  }
  return filter;
}
