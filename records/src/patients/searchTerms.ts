import { normalizeSearchText } from '../text/normalizeSearchText.js';

/** The normalised words of a text, in order, without duplicates. */
export function searchWordsOf(text: string): string[] {
  return [
    ...new Set(
      normalizeSearchText(text)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length > 0),
    ),
  ];
}

const shortestPrefix = 2;
const longestPrefix = 16;

/**
 * Every prefix (2 to 16 letters) of every word of a patient's names, normalised. A search for the start of a
 * word is then an equality lookup on one multikey index, which every MongoDB-compatible planner serves
 * without scanning; a range query on an array would not be.
 */
export function searchTermsOf(names: string[]): string[] {
  const terms = new Set<string>();
  for (const name of names) {
    for (const word of searchWordsOf(name)) {
      const chars = [...word];
      if (chars.length < shortestPrefix) terms.add(word);
      for (let length = shortestPrefix; length <= Math.min(chars.length, longestPrefix); length++) {
        terms.add(chars.slice(0, length).join(''));
      }
    }
  }
  return [...terms];
}

/** What a query word is looked up as: its first 16 letters (longer words were indexed by that prefix). */
export function searchKeyOf(word: string): string {
  return [...word].slice(0, longestPrefix).join('');
}
