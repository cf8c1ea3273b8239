import { normalizeSearchText } from '../text/normalizeSearchText.js';
import type { Icd10Entry, Icd10SearchOptions } from './Icd10Types.js';

import codesJson from './icd10Codes.json' with { type: 'json' };

// The constructor checks each entry's shape; the compiler only sees JSON.
const codes = codesJson as readonly Icd10Entry[];

/** Number of results `search` returns when no limit is given. */
export const DEFAULT_SEARCH_LIMIT = 20;
/** Upper bound on `search` results, whatever limit is asked for. */
export const MAX_SEARCH_LIMIT = 50;

type IndexedEntry = {
  entry: Icd10Entry;
  /** Code without the dot, e.g. `E119`. */
  compactCode: string;
  /** Every searchable word form of both titles. */
  words: Set<string>;
  en: string;
  ar: string;
};

// Arabic writes the article and one-letter prepositions/conjunctions joined to the noun, so a title word
// like "بالسالمونيلا" or "الربو" must also be findable as "سالمونيلا" or "ربو".
const ARTICLE_PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال'];
const PROCLITICS = new Set(['و', 'ب', 'ل', 'ف', 'ك']);
const MIN_STEM = 2;

const CODE_QUERY = /^[A-Z](?:\d|\d\d|\d\d\.|\d\d\.?\d)?$/;
const FULL_CODE = /^[A-Z]\d\d\.?\d?$/;

function stripArticle(word: string): string {
  for (const prefix of ARTICLE_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= MIN_STEM) return word.slice(prefix.length);
  }
  return word;
}

function wordForms(word: string): string[] {
  const stem = stripArticle(word);
  if (stem !== word) return [word, stem];
  const first = word[0];
  if (first !== undefined && PROCLITICS.has(first) && word.length > MIN_STEM + 1)
    return [word, word.slice(1)];
  return [word];
}

function compactCode(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  return FULL_CODE.test(upper) ? upper.replace('.', '') : undefined;
}

type QueryToken = {
  /** Set when the token could be (the start of) a code: `E11`, `e11.`, `E119`. */
  codePrefix: string | undefined;
  /** Normalised word prefixes that must all appear in the entry. */
  words: string[];
};

function parseToken(raw: string): QueryToken {
  const upper = raw.toUpperCase();
  const codePrefix = CODE_QUERY.test(upper) ? upper.replace('.', '') : undefined;
  const words = normalizeSearchText(raw)
    .split(' ')
    .filter((w) => w !== '')
    .map(stripArticle);
  return { codePrefix, words };
}

/** In-memory ICD-10 code list with lookup by code and ranked search in Arabic and English. */
export class Icd10Catalog {
  static #shared: Icd10Catalog | undefined;

  readonly #entries: IndexedEntry[];
  readonly #byCode = new Map<string, Icd10Entry>();
  // Sorted word forms with the entries holding each: all words sharing a prefix sit in one run, so a
  // query word costs a binary search instead of a scan of every title.
  readonly #vocabulary: string[];
  readonly #postings: number[][];

  /** Builds the catalog and its search keys; `entries` defaults to the curated list. */
  constructor(entries: readonly Icd10Entry[] = codes) {
    const postingsByWord = new Map<string, number[]>();
    this.#entries = entries.map((entry, index) => {
      const compact = typeof entry.code === 'string' ? compactCode(entry.code) : undefined;
      if (compact === undefined) throw new Error(`Invalid ICD-10 code: ${String(entry.code)}`);
      if (!isTitle(entry.en) || !isTitle(entry.ar))
        throw new Error(`Missing title for ICD-10 code ${entry.code}`);
      if (this.#byCode.has(compact)) throw new Error(`Duplicate ICD-10 code: ${entry.code}`);
      this.#byCode.set(compact, entry);
      const en = normalizeSearchText(entry.en);
      const ar = normalizeSearchText(entry.ar);
      const words = new Set(`${en} ${ar}`.split(' ').flatMap(wordForms));
      for (const word of words) {
        const postings = postingsByWord.get(word);
        if (postings === undefined) postingsByWord.set(word, [index]);
        else postings.push(index);
      }
      return { entry, compactCode: compact, words, en, ar };
    });
    this.#vocabulary = [...postingsByWord.keys()].sort();
    this.#postings = this.#vocabulary.map((word) => postingsByWord.get(word) ?? []);
  }

  /** The catalog built from the curated list, created on first use and then reused. */
  static shared(): Icd10Catalog {
    Icd10Catalog.#shared ??= new Icd10Catalog();
    return Icd10Catalog.#shared;
  }

  /** Number of codes in the catalog. */
  get size(): number {
    return this.#entries.length;
  }

  /** Looks a code up case-insensitively, with or without its dot (`e119` finds `E11.9`). */
  get(code: string): Icd10Entry | undefined {
    const compact = compactCode(code);
    return compact === undefined ? undefined : this.#byCode.get(compact);
  }

  /** Whether the code is in the catalog, with the same tolerance as `get`. */
  has(code: string): boolean {
    return this.get(code) !== undefined;
  }

  /**
   * Finds entries whose code starts with the query or whose titles contain every query word as the start
   * of a word (Arabic folded, article ignored). Ranked: exact code, code prefix, title starting with the
   * query, the rest; within a rank, entries matching more query words whole come first, then code order.
   */
  search(query: string, options: Icd10SearchOptions = {}): Icd10Entry[] {
    const limit = clampLimit(options.limit);
    // A stray "-" or "،" between words would otherwise be a token nothing can match.
    const tokens = query
      .split(/\s+/)
      .map(parseToken)
      .filter((token) => token.codePrefix !== undefined || token.words.length > 0);
    if (tokens.length === 0 || limit === 0) return [];

    let selected: Uint8Array | undefined;
    for (const token of tokens) {
      const matching = this.#matching(token);
      if (selected === undefined) selected = matching;
      else intersect(selected, matching);
    }

    const single = tokens.length === 1 ? tokens[0] : undefined;
    const phrase = normalizeSearchText(query);
    const hits: Hit[] = [];
    this.#entries.forEach((indexed, index) => {
      if (selected?.[index] !== 1) return;
      let tier = 3;
      if (single?.codePrefix !== undefined && indexed.compactCode.startsWith(single.codePrefix)) {
        tier = indexed.compactCode === single.codePrefix ? 0 : 1;
      } else if (phrase !== '' && (indexed.en.startsWith(phrase) || indexed.ar.startsWith(phrase))) {
        tier = 2;
      }
      hits.push({ entry: indexed.entry, tier, wholeWords: countWholeWords(indexed, tokens) });
    });
    // Array#sort is stable, so equal hits keep code order.
    hits.sort((a, b) => a.tier - b.tier || b.wholeWords - a.wholeWords);
    return hits.slice(0, limit).map((hit) => hit.entry);
  }

  /** Marks (1) the entries one query token matches: by code prefix, or by all of its words. */
  #matching(token: QueryToken): Uint8Array {
    let byWords: Uint8Array | undefined;
    for (const word of token.words) {
      const found = this.#withWordPrefix(word);
      if (byWords === undefined) byWords = found;
      else intersect(byWords, found);
    }
    const result = byWords ?? new Uint8Array(this.#entries.length);
    const { codePrefix } = token;
    if (codePrefix !== undefined) {
      this.#entries.forEach((indexed, index) => {
        if (indexed.compactCode.startsWith(codePrefix)) result[index] = 1;
      });
    }
    return result;
  }

  #withWordPrefix(prefix: string): Uint8Array {
    const found = new Uint8Array(this.#entries.length);
    const vocabulary = this.#vocabulary;
    for (let i = lowerBound(vocabulary, prefix); i < vocabulary.length; i++) {
      if (!vocabulary[i]?.startsWith(prefix)) break;
      for (const index of this.#postings[i] ?? []) found[index] = 1;
    }
    return found;
  }
}

type Hit = { entry: Icd10Entry; tier: number; wholeWords: number };

// Query words that are whole title words rank higher: "hepatitis c" should put hepatitis C before "chronic".
function countWholeWords(indexed: IndexedEntry, tokens: readonly QueryToken[]): number {
  let count = 0;
  for (const token of tokens) {
    for (const word of token.words) if (indexed.words.has(word)) count++;
  }
  return count;
}

function intersect(into: Uint8Array, other: Uint8Array): void {
  into.forEach((marked, i) => {
    if (marked === 1 && other[i] !== 1) into[i] = 0;
  });
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? '') < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function isTitle(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(Math.max(Math.trunc(limit), 0), MAX_SEARCH_LIMIT);
}
