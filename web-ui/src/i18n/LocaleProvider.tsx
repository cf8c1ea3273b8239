import { defaultLocale, directionOf, type Locale, localeSchema } from '@telemed/shared';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { catalogs, hospitalTimeZone, intlLocales, type MessageKey } from './catalog.js';

const storageKey = 'telemed.locale';

export interface LocaleContextValue {
  locale: Locale;
  direction: 'rtl' | 'ltr';
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

function storedLocale(): Locale {
  if (typeof localStorage === 'undefined') return defaultLocale;
  const parsed = localeSchema.safeParse(localStorage.getItem(storageKey));
  return parsed.success ? parsed.data : defaultLocale;
}

/**
 * The chosen language (Arabic unless the person chose English, remembered in localStorage), mirrored on
 * `<html lang dir>`, and FormatJS's IntlProvider for it: messages, plurals, digits and dates.
 */
export function LocaleProvider({ children, initialLocale }: { children: ReactNode; initialLocale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale ?? storedLocale());

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(storageKey, next);
    setLocaleState(next);
  }, []);

  const value = useMemo<LocaleContextValue>(
    () => ({ locale, direction: directionOf(locale), setLocale }),
    [locale, setLocale],
  );
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider
        locale={intlLocales[locale]}
        defaultLocale={intlLocales.ar}
        timeZone={hospitalTimeZone}
        messages={catalogs[locale]}
      >
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale must be used inside <LocaleProvider>');
  return value;
}

export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** Formats one of the catalog's messages in the person's language; keys are checked by the compiler. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((key, values) => String(intl.formatMessage({ id: key }, values)), [intl]);
}
