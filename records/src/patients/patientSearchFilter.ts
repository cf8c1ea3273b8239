import { searchKeyOf, searchWordsOf } from './searchTerms.js';

/**
 * What a patient search for `q` looks up, through the indexes only: a national ID (14 digits starting 2 or 3),
 * an MRN (letters, digits and dashes with a digit), or else name words, each of which must start a word of the
 * name: "mohamed ali" finds "Mohamed Ahmed Ali". The longest word is the most selective: it drives the index
 * lookup on `searchTerms`, the others filter what it finds.
 */
export function patientSearchFilter(q: string | undefined): Record<string, unknown> {
  if (!q) return {};
  if (/^[23]\d{13}$/.test(q)) return { nationalId: q };
  if (/^[A-Za-z0-9-]+$/.test(q) && /\d/.test(q)) return { mrn: q.toUpperCase() };
  const words = searchWordsOf(q).map(searchKeyOf);
  if (words.length === 0) return {};
  const [first, ...others] = [...words].sort((a, b) => b.length - a.length);
  return others.length > 0
    ? { searchTerms: first, $and: others.map((word) => ({ searchTerms: word })) }
    : { searchTerms: first };
}
