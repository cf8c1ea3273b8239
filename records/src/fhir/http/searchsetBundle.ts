import type { Bundle, BundleLink } from '@medplum/fhirtypes';
import type { SearchPage } from '../read/FhirReadService.js';

/**
 * A searchset Bundle of one page: `total`, links `self`, `next` and `previous` by `_offset` (the request's own
 * parameters kept), the matches, and, under `Prefer: handling=lenient`, an OperationOutcome naming what was
 * ignored.
 */
export function searchsetBundle(
  page: SearchPage,
  baseUrl: string,
  path: string,
  query: Record<string, unknown>,
): Bundle {
  const linkAt = (offset: number) => {
    const params = new URLSearchParams();
    for (const [name, raw] of Object.entries(query)) {
      if (name === '_offset' || name === '_count') continue;
      for (const value of Array.isArray(raw) ? raw : [raw]) params.append(name, String(value));
    }
    params.set('_count', String(page.count));
    params.set('_offset', String(offset));
    return `${baseUrl}${path}?${params.toString()}`;
  };
  const link: BundleLink[] = [{ relation: 'self', url: linkAt(page.offset) }];
  // `_count=0` asks for the total only: no next page. Without a total, a full page may have a next one.
  const more =
    page.total === undefined ? page.resources.length === page.count : page.offset + page.count < page.total;
  if (page.count > 0 && more) link.push({ relation: 'next', url: linkAt(page.offset + page.count) });
  if (page.offset > 0)
    link.push({ relation: 'previous', url: linkAt(Math.max(0, page.offset - page.count)) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.total === undefined ? {} : { total: page.total }),
    link,
    entry: [
      ...page.resources.map((resource) => ({
        fullUrl: `${baseUrl}/fhir/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' as const },
      })),
      ...(page.criteria.warnings.length > 0
        ? [
            {
              resource: { resourceType: 'OperationOutcome' as const, issue: page.criteria.warnings },
              search: { mode: 'outcome' as const },
            },
          ]
        : []),
    ],
  };
}
