import { describe, expect, it } from 'vitest';
import { backfillSearchTerms } from '../../organizations/backfillSearchTerms.js';
import { recordsServerForSuite } from '../../testing/recordsServerForSuite.js';

/** A governorate's rural clinics, more than a page of them, for the list's paging, filters and search. */
const sohagClinics = Array.from({ length: 25 }, (_, i) => ({
  kind: 'clinic' as const,
  name: { ar: `وحدة صحة قرية رقم ${i + 1}`, en: `Village Health Unit ${String(i + 1).padStart(2, '0')}` },
  governorate: 'سوهاج',
  district: 'طهطا',
  active: i % 5 !== 0,
}));

describe('GET /api/organizations: paged, filtered and searched by name', () => {
  const suite = recordsServerForSuite(['admin', 'doctor.a', 'cardio', 'auditor']);
  const list = (query: string, token = suite.tokens.admin, locale = 'en') =>
    suite.server.call('GET', `/api/organizations${query}`, { token, headers: { 'accept-language': locale } });
  const names = (body: { items: { name: { en: string } }[] }) => body.items.map((o) => o.name.en);
  const seedSohag = async () => {
    if ((await suite.server.models.Organization.countDocuments({ governorate: 'سوهاج' })) === 0) {
      await suite.server.models.Organization.create(sohagClinics);
    }
  };

  it('answers a page at a time with the total, in a stable order, to every role', async () => {
    await seedSohag();
    const first = await list('?kind=clinic&limit=10');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, limit: 10, total: 27, hasMore: true });
    expect(first.body.items).toHaveLength(10);
    expect(first.body.items[0].searchTerms).toBeUndefined();
    const last = await list('?kind=clinic&limit=10&page=3');
    expect(last.body).toMatchObject({ page: 3, total: 27, hasMore: false });
    expect(last.body.items).toHaveLength(7);
    const all = [
      ...names(first.body),
      ...names((await list('?kind=clinic&limit=10&page=2')).body),
      ...names(last.body),
    ];
    expect(new Set(all).size).toBe(27);
    expect(all).toEqual([...all].sort());
    for (const role of ['doctor.a', 'cardio', 'auditor']) {
      expect((await list('?limit=1', suite.tokens[role])).status, role).toBe(200);
    }
    // Twenty by default, as every paged list.
    expect((await list('')).body).toMatchObject({ limit: 20, total: 28, hasMore: true });
  });

  it('filters by kind, governorate and active', async () => {
    await seedSohag();
    const hospitals = await list('?kind=hospital');
    expect(names(hospitals.body)).toEqual(['Assiut University Hospital']);
    const sohag = await list(`?governorate=${encodeURIComponent('سوهاج')}&limit=100`);
    expect(sohag.body.total).toBe(25);
    const inactive = await list(`?governorate=${encodeURIComponent('سوهاج')}&active=false`);
    expect(names(inactive.body)).toEqual([
      'Village Health Unit 01',
      'Village Health Unit 06',
      'Village Health Unit 11',
      'Village Health Unit 16',
      'Village Health Unit 21',
    ]);
    expect((await list('?governorate=Assiut&active=true&kind=clinic')).body.total).toBe(2);
  });

  it('searches names in Arabic (hamza, ta marbuta and tashkeel folded) and Latin, by the start of words', async () => {
    await seedSohag();
    const arabic = await list(`?q=${encodeURIComponent('ابنوب')}`, suite.tokens['doctor.a'], 'ar');
    expect(names(arabic.body)).toEqual(['Abnoub Health Unit']);
    const arabicWords = await list(`?q=${encodeURIComponent('مُستشفى اسيوط')}`);
    expect(names(arabicWords.body)).toEqual(['Assiut University Hospital']);
    const latin = await list('?q=DAYR');
    expect(names(latin.body)).toEqual(['Dayrout Health Unit']);
    const twoWords = await list('?q=health%20unit%2012');
    expect(names(twoWords.body)).toEqual(['Village Health Unit 12']);
    const withKind = await list(`?q=${encodeURIComponent('وحدة')}&kind=clinic&limit=5`);
    expect(withKind.body).toMatchObject({ total: 27, hasMore: true });
    // A word must start a word of the name: the middle of one finds nothing.
    expect((await list('?q=oub')).body).toMatchObject({ items: [], total: 0, hasMore: false });
  });

  it('keeps the terms in step when a name changes', async () => {
    const created = await suite.server.call('POST', '/api/organizations', {
      token: suite.tokens.admin,
      body: {
        kind: 'clinic',
        name: { ar: 'وحدة صحة الغنايم', en: 'Ghanayem Health Unit' },
        governorate: 'Assiut',
        district: 'Ghanayem',
      },
    });
    expect(names((await list('?q=ghanayem')).body)).toEqual(['Ghanayem Health Unit']);
    const renamed = await suite.server.call('PATCH', `/api/organizations/${created.body.id}`, {
      token: suite.tokens.admin,
      body: { name: { ar: 'وحدة صحة صدفا', en: 'Sidfa Health Unit' } },
    });
    expect(renamed.status).toBe(200);
    expect((await list('?q=ghanayem')).body.total).toBe(0);
    expect(names((await list(`?q=${encodeURIComponent('صدفا')}`)).body)).toEqual(['Sidfa Health Unit']);
    const moved = await suite.server.call('PATCH', `/api/organizations/${created.body.id}`, {
      token: suite.tokens.admin,
      body: { district: 'Sidfa' },
    });
    expect(moved.status).toBe(200);
    expect(names((await list('?q=sidfa')).body)).toEqual(['Sidfa Health Unit']);
  });

  it('gives rows written before the terms existed their terms at start (no migration step)', async () => {
    const { insertedId } = await suite.server.models.Organization.collection.insertOne({
      kind: 'clinic',
      name: { ar: 'وحدة صحة البداري', en: 'Badari Health Unit' },
      governorate: 'Assiut',
      district: 'Badari',
      address: '',
      specialties: [],
      timeZone: 'Africa/Cairo',
      active: true,
    });
    expect((await list('?q=badari')).body.total).toBe(0);
    expect(await backfillSearchTerms(suite.server.models)).toBe(1);
    expect((await list('?q=badari')).body.items.map((o: { id: string }) => o.id)).toEqual([
      insertedId.toHexString(),
    ]);
    expect(await backfillSearchTerms(suite.server.models)).toBe(0);
  });

  it.each([
    ['?kind=pharmacy', 'kind'],
    ['?active=maybe', 'active'],
    ['?page=0', 'page'],
    ['?limit=500', 'limit'],
    [`?q=${'x'.repeat(101)}`, 'q'],
    ['?governorate=', 'governorate'],
  ])('refuses %s with a 400 naming the field, in English and Arabic', async (query, field) => {
    const en = await list(query, suite.tokens.admin, 'en');
    expect(en.status).toBe(400);
    expect(en.body.error.code).toBe('VALIDATION_FAILED');
    expect(en.body.error.message).toContain(field);
    const ar = await list(query, suite.tokens.admin, 'ar');
    expect(ar.status).toBe(400);
    expect(ar.body.error.message).toContain(field);
    expect(ar.body.error.message).toMatch(/[\u0600-\u06FF]/);
    expect(ar.body.error.message).not.toBe(en.body.error.message);
  });

  it('refuses a caller without a token', async () => {
    expect((await suite.server.call('GET', '/api/organizations')).status).toBe(401);
  });
});
