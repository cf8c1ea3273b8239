import { searchTermsOf } from '../patients/searchTerms.js';

/**
 * What an organization is found by: every 2–16 letter prefix of every word of its Arabic and English names,
 * normalised as patients' names are (hamza, tashkeel and case folded), so a picker's search is an equality
 * lookup on one multikey index.
 */
export function organizationSearchTerms(name: { ar: string; en: string }): string[] {
  return searchTermsOf([name.ar, name.en]);
}
