import { describe, expect, it } from 'vitest';
import { normalizeSearchText } from '../text/normalizeSearchText.js';
import { searchKeyOf, searchTermsOf, searchWordsOf } from './searchTerms.js';

describe('patient search terms', () => {
  it('folds Arabic spelling variants and diacritics, and Latin case', () => {
    expect(normalizeSearchText('أَحْمَد إبراهيم مصطفى فاطمة')).toBe('احمد ابراهيم مصطفي فاطمه');
    expect(normalizeSearchText('MOHAMED')).toBe('mohamed');
  });

  it('indexes every prefix from two letters, so the start of any word finds the name', () => {
    const terms = searchTermsOf(['فاطمة علي', 'Fatma Ali']);
    for (const query of ['فا', 'فاطم', 'فاطمه', 'عل', 'fa', 'fatm', 'ali']) expect(terms).toContain(query);
    expect(terms).not.toContain('f');
    expect(terms).not.toContain('atma');
  });

  it('splits a query into words and cuts long ones to the indexed prefix length', () => {
    expect(searchWordsOf('  Mohamed  ALI-hassan ')).toEqual(['mohamed', 'ali', 'hassan']);
    const long = 'abdelrahmanabdelaziz';
    expect(searchTermsOf([long])).toContain(searchKeyOf(long));
  });
});
