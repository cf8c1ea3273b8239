import type { AuditQuery } from '@telemed/shared';

/** The audit trail's filters and page, as the URL holds them (so a search can be bookmarked and shared). */
export interface AuditFilters extends AuditQuery {
  page: number;
}

const keys = ['actorId', 'patientId', 'action', 'outcome', 'from', 'to'] as const;

export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  const filters: Record<string, unknown> = {};
  for (const key of keys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const page = Number(params.get('page'));
  return { ...(filters as AuditQuery), page: Number.isInteger(page) && page > 0 ? page : 1 };
}

export function auditSearchParams(filters: Partial<AuditFilters>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) if (filters[key]) params.set(key, String(filters[key]));
  if (filters.page && filters.page > 1) params.set('page', String(filters.page));
  return params;
}
