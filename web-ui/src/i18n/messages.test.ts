import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { ar } from './ar.js';
import { catalogs, intlLocales } from './catalog.js';
import { en } from './en.js';

type Element = ReturnType<typeof parse>[number];

/** The plural arguments of a message, with the categories each one spells out. */
function pluralsOf(elements: Element[]): { name: string; categories: string[] }[] {
  return elements.flatMap((element) => {
    if (element.type === TYPE.plural) {
      return [
        { name: element.value, categories: Object.keys(element.options) },
        ...Object.values(element.options).flatMap((option) => pluralsOf(option.value)),
      ];
    }
    if (element.type === TYPE.select)
      return Object.values(element.options).flatMap((o) => pluralsOf(o.value));
    return [];
  });
}

describe('the message catalogs', () => {
  it('has every key in both Arabic and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
  });

  it('has ICU messages that parse, non-empty, in Arabic script for Arabic (but the switch to English)', () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(() => parse(text), `${locale} ${key}`).not.toThrow();
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        if (locale === 'ar' && key !== 'language.switchTo') expect(text, key).toMatch(/[\u0600-\u06FF]/);
      }
    }
  });

  it("spells out all six of Arabic's plural categories wherever a count appears", () => {
    const plurals = Object.entries(ar).flatMap(([key, text]) =>
      pluralsOf(parse(text)).map((p) => ({ key, ...p })),
    );
    expect(plurals.length).toBeGreaterThan(5);
    for (const plural of plurals) {
      expect(plural.categories.sort(), plural.key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    }
  });

  it('counts in Arabic words and Arabic-Indic digits, and in English', () => {
    const arabic = createIntl({ locale: intlLocales.ar, messages: ar });
    const count = (n: number) => arabic.formatMessage({ id: 'appointments.count' }, { count: n });
    expect([0, 1, 2, 3, 11, 100].map(count)).toEqual([
      'لا مواعيد',
      'موعد واحد',
      'موعدان',
      '٣ مواعيد',
      '١١ موعدًا',
      '١٠٠ موعد',
    ]);
    expect(arabic.formatMessage({ id: 'urgent.waiting' }, { minutes: 25 })).toBe('ينتظر منذ ٢٥ دقيقة');
    const english = createIntl({ locale: intlLocales.en, messages: en });
    expect(english.formatMessage({ id: 'appointments.count' }, { count: 1 })).toBe('1 appointment');
    expect(english.formatMessage({ id: 'appointments.count' }, { count: 3 })).toBe('3 appointments');
  });

  it('writes dates in the hospitals’ time zone with the locale’s digits', () => {
    const arabic = createIntl({ locale: intlLocales.ar, messages: ar, timeZone: 'Africa/Cairo' });
    // 08:00 UTC on 7 December 2026 is 10:00 in Cairo.
    expect(arabic.formatTime('2026-12-07T08:00:00.000Z', { hour: '2-digit', minute: '2-digit' })).toBe(
      '١٠:٠٠ ص',
    );
  });
});
