import type { OrganizationListQuery } from '@telemed/shared';
import { searchKeyOf, searchWordsOf } from '../patients/searchTerms.js';

/**
 * The list's filter, through the indexes only: kind, governorate (exactly as written) and active as given, and
 * each word of `q` must start a word of the Arabic or English name ("أسيوط جامعة" finds "مستشفيات جامعة أسيوط").
 * The longest word drives the lookup on `searchTerms`, the others filter what it finds.
 */
export function organizationListFilter(
  query: Omit<OrganizationListQuery, 'page' | 'limit'>,
): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.kind) filter.kind = query.kind;
  if (query.governorate) filter.governorate = query.governorate;
  if (query.active !== undefined) filter.active = query.active;
  const words = searchWordsOf(query.q ?? '').map(searchKeyOf);
  if (words.length === 0) return filter;
  const [first, ...others] = [...words].sort((a, b) => b.length - a.length);
  filter.searchTerms = first;
  if (others.length > 0) filter.$and = others.map((word) => ({ searchTerms: word }));
  return filter;
}
