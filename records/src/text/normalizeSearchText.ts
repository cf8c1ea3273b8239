const ARABIC_LETTER_VARIANTS: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ة: 'ه',
  ؤ: 'و',
  ئ: 'ي',
};
const ARABIC_LETTER_VARIANT_PATTERN = /[أإآٱىةؤئ]/g;
// Harakat and tanween (U+064B–U+0652), the other combining marks up to U+065F, superscript alef and tatweel.
const ARABIC_MARKS = /[\u064B-\u065F\u0670\u0640]/g;
const LATIN_MARKS = /[\u0300-\u036F]/g;
// Arabic-Indic (U+0660–U+0669) and Eastern Arabic-Indic (U+06F0–U+06F9) digits; the low nibble is the value.
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Lower-cases and folds text so that spelling variants doctors type (no hamza, no tashkeel) compare equal. */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(ARABIC_LETTER_VARIANT_PATTERN, (ch) => ARABIC_LETTER_VARIANTS[ch] ?? ch)
    .normalize('NFD')
    .replace(LATIN_MARKS, '')
    .replace(ARABIC_MARKS, '')
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) & 0xf))
    .replace(NON_WORD, ' ')
    .trim();
}
