import { specialtyLabels } from '@telemed/shared';
import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { useLocale } from '../i18n/LocaleProvider.js';

export interface Formatters {
  /** A moment, in the hospitals' time zone (the IntlProvider's), e.g. "الأحد ٧ ديسمبر، ١٠:٠٠ ص". */
  dateTime(iso: string): string;
  /** A calendar date such as a birth date (`YYYY-MM-DD`): the same day wherever the browser is. */
  calendarDate(date: string): string;
  personName(name: { ar: string; latin: string } | undefined): string;
  specialtyName(specialty: string): string;
}

/** Names, dates and times in the person's language, with the locale's digits. */
export function useFormatters(): Formatters {
  const intl = useIntl();
  const { locale } = useLocale();
  return useMemo<Formatters>(
    () => ({
      dateTime: (iso) =>
        intl.formatDate(iso, {
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }),
      calendarDate: (date) => intl.formatDate(date, { dateStyle: 'medium', timeZone: 'UTC' }),
      personName: (name) => (name ? (locale === 'ar' ? name.ar : name.latin) : '—'),
      specialtyName: (specialty) =>
        specialtyLabels[specialty as keyof typeof specialtyLabels]?.[locale] ?? specialty,
    }),
    [intl, locale],
  );
}
