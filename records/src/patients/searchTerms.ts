/**
 * Folds Arabic spelling variants (hamza forms, alef maqsura, ta marbuta, diacritics, tatweel) and Latin case,
 * so "احمد" finds "أحمد" and "mohamed" finds "Mohamed".
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي');
}

/** The distinct words of a patient's names, normalised: what a search by name matches against. */
export function searchTermsOf(names: string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    for (const word of normalizeSearchText(name).split(/[^\p{L}\p{N}]+/u)) {
      if (word.length > 0) words.add(word);
    }
  }
  return [...words];
}
