import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { normalizeSearchText } from '../text/normalizeSearchText.js';
import { DEFAULT_SEARCH_LIMIT, Icd10Catalog, MAX_SEARCH_LIMIT } from './Icd10Catalog.js';
import type { Icd10Entry } from './Icd10Types.js';

const codes = createRequire(import.meta.url)('./icd10Codes.json') as Icd10Entry[];
const catalog = Icd10Catalog.shared();
const codesOf = (entries: readonly Icd10Entry[]) => entries.map((e) => e.code);

describe('icd10Codes.json', () => {
  it('holds a curated list of 400 to 600 codes', () => {
    expect(codes.length).toBeGreaterThanOrEqual(400);
    expect(codes.length).toBeLessThanOrEqual(600);
    expect(catalog.size).toBe(codes.length);
  });

  it('has only WHO-format codes (letter, two digits, optional dot and one digit)', () => {
    const invalid = codes.filter((e) => !/^[A-Z]\d{2}(\.\d)?$/.test(e.code));
    expect(invalid).toEqual([]);
  });

  it('has no duplicate codes and is sorted by code', () => {
    const list = codesOf(codes);
    expect(new Set(list).size).toBe(list.length);
    expect(list).toEqual([...list].sort());
  });

  it('has a non-empty English title and an Arabic title in Arabic script for every code', () => {
    for (const { code, en, ar } of codes) {
      expect(Object.keys({ code, en, ar })).toEqual(['code', 'en', 'ar']);
      expect(en.trim(), code).not.toBe('');
      expect(en, code).toBe(en.trim());
      expect(en, code).not.toMatch(/[\u0600-\u06FF]|\s{2}/);
      expect(ar, code).toMatch(/[\u0621-\u064A]{2}/);
      expect(ar, code).toBe(ar.trim());
    }
  });

  it('has no keys other than code, en and ar', () => {
    const extra = codes.filter((e) => Object.keys(e).join() !== 'code,en,ar');
    expect(extra).toEqual([]);
  });

  it('covers the conditions the teleconsultation service sees most', () => {
    const required = [
      ...['A01.0', 'A09.0', 'A09.9', 'A15.0', 'A16.2', 'A23.9', 'B18.1', 'B18.2', 'B65.0', 'B65.1', 'B86'],
      ...['B35.0', 'B35.4', 'D50.9', 'D56.1', 'D57.1', 'D64.9', 'E03.9', 'E05.9', 'E10.9', 'E11.9', 'E14.9'],
      ...['E40', 'E41', 'E43', 'E46', 'F20.9', 'F32.9', 'F33.9', 'F41.1', 'G40.9', 'G43.9', 'G44.2', 'H10.9'],
      ...['H25.9', 'H40.1', 'H52.1', 'H61.2', 'H65.9', 'H66.9', 'I10', 'I11.9', 'I15.9', 'I21.9', 'I25.1'],
      ...['I48.9', 'I50.0', 'I63.9', 'I64', 'J01.9', 'J02.9', 'J03.9', 'J18.9', 'J30.4', 'J44.9', 'J45.9'],
      ...['K21.9', 'K25.9', 'K29.7', 'K35.8', 'K58.0', 'K59.0', 'K74.6', 'K76.0', 'L20.9', 'L40.0', 'L70.0'],
      ...['L80', 'M17.9', 'M19.9', 'M54.5', 'M79.1', 'N17.9', 'N18.5', 'N20.0', 'N39.0', 'O13', 'O14.1'],
      ...['O20.0', 'O21.0', 'O24.4', 'P59.9', 'R05', 'R06.0', 'R10.4', 'R11', 'R50.9', 'R51', 'S93.4'],
      ...['T14.1', 'Z00.0', 'Z09.9'],
    ];
    expect(required.filter((code) => !catalog.has(code))).toEqual([]);
  });
});

describe('normalizeSearchText', () => {
  it('folds hamza forms, alef maqsura, taa marbuta and tatweel', () => {
    expect(normalizeSearchText('أإآٱ')).toBe('اااا');
    expect(normalizeSearchText('مؤخرة شاطئ مستشفى')).toBe('موخره شاطي مستشفي');
    expect(normalizeSearchText('الربـــو')).toBe('الربو');
  });

  it('strips tashkeel', () => {
    expect(normalizeSearchText('الرَّبْوُ')).toBe('الربو');
    expect(normalizeSearchText('فَقْرُ الدَّمِ')).toBe('فقر الدم');
  });

  it('lower-cases, drops Latin accents and punctuation, and reads Arabic-Indic digits', () => {
    expect(normalizeSearchText('  Ménière   Disease, (Primary) ')).toBe('meniere disease primary');
    expect(normalizeSearchText('النوع ٢')).toBe('النوع 2');
  });
});

describe('Icd10Catalog.get and has', () => {
  it('finds a code with or without its dot, in any case', () => {
    for (const query of ['E11.9', 'e11.9', 'E119', 'e119', ' E11.9 ']) {
      expect(catalog.get(query)?.code, query).toBe('E11.9');
    }
    expect(catalog.get('E11.9')).toEqual({
      code: 'E11.9',
      en: 'Type 2 diabetes mellitus without complications',
      ar: 'داء السكري من النوع الثاني دون مضاعفات',
    });
  });

  it('finds three-character codes, with or without a trailing dot', () => {
    expect(catalog.get('i10')?.en).toBe('Essential (primary) hypertension');
    expect(catalog.get('I10.')?.code).toBe('I10');
  });

  it('returns undefined for codes not in the list and for text that is not a code', () => {
    expect(catalog.get('E11')).toBeUndefined();
    expect(catalog.get('E11.99')).toBeUndefined();
    expect(catalog.get('E1')).toBeUndefined();
    expect(catalog.get('diabetes')).toBeUndefined();
    expect(catalog.get('')).toBeUndefined();
  });

  it('answers has() with the same tolerance', () => {
    expect(catalog.has('j459')).toBe(true);
    expect(catalog.has('J45.9')).toBe(true);
    expect(catalog.has('J45.7')).toBe(false);
  });
});

describe('Icd10Catalog.search by code', () => {
  it('returns every code under a three-character prefix', () => {
    const all = codes.filter((e) => e.code.startsWith('E11.')).map((e) => e.code);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(codesOf(catalog.search('E11'))).toEqual(all);
    expect(codesOf(catalog.search('e11.'))).toEqual(all);
  });

  it('puts the exact code first, with or without the dot', () => {
    expect(catalog.search('E11.9')[0]?.code).toBe('E11.9');
    expect(catalog.search('e119')[0]?.code).toBe('E11.9');
    expect(catalog.search('I10')[0]?.code).toBe('I10');
  });

  it('narrows as the code is typed', () => {
    const b = catalog.search('B', { limit: MAX_SEARCH_LIMIT });
    const b1 = catalog.search('B1', { limit: MAX_SEARCH_LIMIT });
    expect(b.length).toBeGreaterThan(b1.length);
    // "b1" is also the start of a title word (vitamin B12), which ranks after the code matches.
    const titleOnly = codesOf(b1).filter((c) => !c.startsWith('B1'));
    expect(titleOnly).toEqual(['D51.9']);
    expect(codesOf(b1).at(-1)).toBe('D51.9');
    expect(codesOf(catalog.search('b18'))).toEqual(['B18.0', 'B18.1', 'B18.2', 'B18.9']);
  });

  it('ranks code matches before title matches', () => {
    // "c73" matches no title; "c" alone matches C codes by prefix and words starting with c.
    const results = catalog.search('c', { limit: MAX_SEARCH_LIMIT });
    const firstTitleOnly = results.findIndex((e) => !e.code.startsWith('C'));
    expect(firstTitleOnly).toBeGreaterThan(0);
    expect(results.slice(firstTitleOnly).every((e) => !e.code.startsWith('C'))).toBe(true);
  });
});

describe('Icd10Catalog.search by English words', () => {
  it('finds type 2 diabetes codes and nothing else', () => {
    const results = catalog.search('type 2 diabetes');
    expect(codesOf(results)).toContain('E11.9');
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(codesOf(results).every((c) => c.startsWith('E11.'))).toBe(true);
  });

  it('matches word prefixes case-insensitively', () => {
    expect(codesOf(catalog.search('HYPERTENS'))).toContain('I10');
    expect(codesOf(catalog.search('pneum'))).toEqual(expect.arrayContaining(['J18.9', 'J12.9', 'J15.9']));
  });

  it('ignores accents', () => {
    expect(codesOf(catalog.search('meniere'))).toEqual(['H81.0']);
  });

  it('requires every query word (AND)', () => {
    const results = catalog.search('diabetes coma');
    expect(codesOf(results)).toEqual(expect.arrayContaining(['E10.0', 'E11.0']));
    for (const { en } of results) expect(en.toLowerCase()).toMatch(/diabetes.*coma/);
    expect(catalog.search('diabetes asthma')).toEqual([]);
  });

  it('ignores punctuation-only words', () => {
    expect(catalog.search('diabetes - coma ،')).toEqual(catalog.search('diabetes coma'));
  });

  it('combines a code prefix with words', () => {
    expect(codesOf(catalog.search('E11 coma'))).toEqual(['E11.0']);
  });
});

describe('Icd10Catalog.search in Arabic', () => {
  it('finds asthma with and without the article and with tashkeel', () => {
    for (const query of ['الربو', 'ربو', 'الرَّبْو', 'الربـو']) {
      const results = codesOf(catalog.search(query));
      expect(results, query).toEqual(expect.arrayContaining(['J45.0', 'J45.9']));
      expect(
        results.every((c) => c.startsWith('J4')),
        query,
      ).toBe(true);
    }
  });

  it('finds chronic viral hepatitis under "التهاب الكبد"', () => {
    const results = codesOf(catalog.search('التهاب الكبد'));
    expect(results).toEqual(expect.arrayContaining(['B18.0', 'B18.1', 'B18.2', 'B18.9']));
    expect(catalog.search('التهاب الكبد الفيروسي المزمن سي')[0]?.code).toBe('B18.2');
  });

  it('finds iron deficiency anaemia under "فقر الدم" and narrows with more words', () => {
    expect(codesOf(catalog.search('فقر الدم'))).toContain('D50.9');
    expect(codesOf(catalog.search('فقر الدم بعوز الحديد')).sort()).toEqual(['D50.0', 'D50.8', 'D50.9']);
    // The preposition is attached to the noun in the title ("بعوز"); typing the bare noun still works.
    expect(codesOf(catalog.search('فقر عوز الحديد')).sort()).toEqual(['D50.0', 'D50.8', 'D50.9']);
  });

  it('finds titles whatever the hamza the doctor types', () => {
    expect(catalog.search('ارتفاع ضغط الدم الاساسي')[0]?.code).toBe('I10');
    expect(catalog.search('ارتفاع ضغط الدم الأساسي')[0]?.code).toBe('I10');
    expect(codesOf(catalog.search('اسهال'))).toContain('R19.7');
    expect(codesOf(catalog.search('اكتئاب'))).toContain('F32.9');
    expect(codesOf(catalog.search('اكتياب'))).toContain('F32.9');
  });

  it('treats ى/ي and ة/ه alike', () => {
    expect(codesOf(catalog.search('مرض الكلي المزمن'))).toContain('N18.5');
    expect(codesOf(catalog.search('نوبه اكتئاب'))).toContain('F32.1');
  });

  it('finds the names Egyptian doctors use', () => {
    expect(codesOf(catalog.search('بلهارسيا'))).toEqual(['B65.0', 'B65.1', 'B65.9']);
    expect(codesOf(catalog.search('الحمى المالطية'))).toContain('A23.9');
    expect(codesOf(catalog.search('خشونة الركبة'))).toContain('M17.9');
    expect(codesOf(catalog.search('الكبد الدهني'))).toContain('K76.0');
  });
});

describe('Icd10Catalog.search ranking', () => {
  it('puts titles that start with the query before titles that only contain it', () => {
    const results = codesOf(catalog.search('asthma'));
    expect(results[0]).toBe('J45.9');
    expect(results.indexOf('J45.9')).toBeLessThan(results.indexOf('J45.0'));
  });

  it('puts whole-word matches before prefix-only matches', () => {
    expect(codesOf(catalog.search('hepatitis c').slice(0, 2))).toEqual(['B17.1', 'B18.2']);
  });
});

describe('Icd10Catalog.search limits and empty queries', () => {
  it('returns at most 20 results by default', () => {
    expect(catalog.search('unspecified')).toHaveLength(DEFAULT_SEARCH_LIMIT);
  });

  it('honours a smaller limit and caps a larger one at 50', () => {
    expect(catalog.search('unspecified', { limit: 5 })).toHaveLength(5);
    expect(catalog.search('unspecified', { limit: 2.9 })).toHaveLength(2);
    expect(catalog.search('unspecified', { limit: 1000 })).toHaveLength(MAX_SEARCH_LIMIT);
    expect(catalog.search('unspecified', { limit: 0 })).toEqual([]);
    expect(catalog.search('unspecified', { limit: Number.NaN })).toHaveLength(DEFAULT_SEARCH_LIMIT);
  });

  it('keeps the order of the unlimited result when limited', () => {
    const all = catalog.search('diabetes', { limit: MAX_SEARCH_LIMIT });
    expect(catalog.search('diabetes', { limit: 7 })).toEqual(all.slice(0, 7));
  });

  it('returns nothing for an empty, blank or punctuation-only query, or one that matches nothing', () => {
    expect(catalog.search('')).toEqual([]);
    expect(catalog.search('   \t ')).toEqual([]);
    expect(catalog.search('،.-')).toEqual([]);
    expect(catalog.search('zzzz')).toEqual([]);
  });

  it('searches the whole list in well under a millisecond', () => {
    const queries = ['diab', 'التهاب الكبد', 'E11', 'ربو', 'فقر الدم بعوز', 'type 2 diabetes mellitus', 'a'];
    for (const q of queries) catalog.search(q);
    const rounds = 200;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) for (const q of queries) catalog.search(q);
    const perSearch = (performance.now() - started) / (rounds * queries.length);
    expect(perSearch).toBeLessThan(1);
  });
});

describe('Icd10Catalog construction', () => {
  const entry = (code: string): Icd10Entry => ({ code, en: `Title ${code}`, ar: 'عنوان' });

  it('builds from a custom list', () => {
    const small = new Icd10Catalog([entry('A00.0'), entry('B01')]);
    expect(small.size).toBe(2);
    expect(small.get('a000')?.code).toBe('A00.0');
    expect(codesOf(small.search('title'))).toEqual(['A00.0', 'B01']);
  });

  it('rejects duplicate or malformed codes and missing titles', () => {
    expect(() => new Icd10Catalog([entry('A00.0'), entry('A000')])).toThrow(/Duplicate/);
    expect(() => new Icd10Catalog([entry('A00.01')])).toThrow(/Invalid/);
    expect(() => new Icd10Catalog([{ code: 'A00', en: ' ', ar: 'عنوان' }])).toThrow(/title/);
  });

  it('shares one catalog built from the curated list', () => {
    expect(Icd10Catalog.shared()).toBe(catalog);
  });
});
