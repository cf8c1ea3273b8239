import type { ReportGrouping } from '@telemed/shared';

export interface ReportFilters {
  from: string;
  to: string;
  groupBy: ReportGrouping;
}

const groupings: readonly ReportGrouping[] = ['clinic', 'specialty', 'day'];
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** The report's filters from the URL (so a report can be bookmarked); the last 30 days by clinic otherwise. */
export function reportFiltersFrom(params: URLSearchParams, today: string): ReportFilters {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const groupBy = params.get('groupBy') as ReportGrouping | null;
  const monthAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  return {
    from: isoDate.test(from) ? from : monthAgo,
    to: isoDate.test(to) ? to : today,
    groupBy: groupBy && groupings.includes(groupBy) ? groupBy : 'clinic',
  };
}

export function reportSearchParams(filters: ReportFilters): URLSearchParams {
  return new URLSearchParams({ from: filters.from, to: filters.to, groupBy: filters.groupBy });
}
