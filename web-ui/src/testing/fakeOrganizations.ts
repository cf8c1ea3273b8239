import type { Organization } from '@telemed/shared';

/** A governorate's worth of clinics and one hospital, as records would store them. */
export const fakeOrganizations: Organization[] = [
  {
    id: 'a'.repeat(24),
    kind: 'hospital',
    name: { ar: 'مستشفيات جامعة أسيوط', en: 'Assiut University Hospitals' },
    governorate: 'أسيوط',
    district: 'أسيوط',
    address: '',
    specialties: ['cardiology'],
    timeZone: 'Africa/Cairo',
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
  ...Array.from(
    { length: 44 },
    (_, i): Organization => ({
      id: (i + 1).toString(16).padStart(24, '0'),
      kind: 'clinic',
      name: { ar: `وحدة صحة قرية ${i + 1}`, en: `Village Unit ${String(i + 1).padStart(2, '0')}` },
      governorate: i < 30 ? 'سوهاج' : 'المنيا',
      district: 'طهطا',
      address: '',
      specialties: [],
      timeZone: 'Africa/Cairo',
      active: i % 10 !== 9,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }),
  ),
];

/**
 * `GET /api/organizations` over the list above as records answers it: filtered, a name word matching the start
 * of a word of either name, a page at a time with the total.
 */
export function answerOrganizations(url: URL) {
  const p = url.searchParams;
  const q = (p.get('q') ?? '').toLowerCase();
  const matches = fakeOrganizations.filter(
    (o) =>
      (!p.get('kind') || o.kind === p.get('kind')) &&
      (!p.get('governorate') || o.governorate === p.get('governorate')) &&
      (!p.get('active') || String(o.active) === p.get('active')) &&
      (!q ||
        `${o.name.ar} ${o.name.en}`
          .toLowerCase()
          .split(' ')
          .some((word) => word.startsWith(q))),
  );
  const page = Number(p.get('page') ?? 1);
  const limit = Number(p.get('limit') ?? 20);
  const items = matches.slice((page - 1) * limit, page * limit);
  return { items, page, limit, total: matches.length, hasMore: page * limit < matches.length };
}
