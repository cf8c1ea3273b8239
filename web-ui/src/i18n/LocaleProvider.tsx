import { defaultLocale, directionOf, type Locale, localeSchema } from '@telemed/shared';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type MessageKey, messages } from './messages.js';

const storageKey = 'telemed.locale';

export interface LocaleContextValue {
  locale: Locale;
  direction: 'rtl' | 'ltr';
  setLocale(locale: Locale): void;
  t(key: MessageKey): string;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

function storedLocale(): Locale {
  if (typeof localStorage === 'undefined') return defaultLocale;
  const parsed = localeSchema.safeParse(localStorage.getItem(storageKey));
  return parsed.success ? parsed.data : defaultLocale;
}

/** Holds the chosen language (Arabic unless the person chose English) and mirrors it on `<html lang dir>`. */
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
    () => ({ locale, direction: directionOf(locale), setLocale, t: (key) => messages[locale][key] }),
    [locale, setLocale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale must be used inside <LocaleProvider>');
  return value;
}
