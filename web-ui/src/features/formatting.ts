import { specialtyLabels } from '@telemed/shared';
import { useMemo } from 'react';
import { type FormatNumberOptions, useIntl } from 'react-intl';
import { useLocale } from '../i18n/LocaleProvider.js';

export interface Formatters {
  /** A moment, in the hospitals' time zone (the IntlProvider's), e.g. "الأحد ٧ ديسمبر، ١٠:٠٠ ص". */
  dateTime(iso: string): string;
  /** A calendar date such as a birth date (`YYYY-MM-DD`): the same day wherever the browser is. */
  calendarDate(date: string): string;
  /** A wall-clock time of the hospital's day such as a weekly hour (`HH:mm`), e.g. "٠٩:٠٠ ص". */
  clock(time: string): string;
  /** A count or measure in the locale's digits. */
  number(value: number, options?: FormatNumberOptions): string;
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
      // A wall clock, not a moment: read as UTC and shown as UTC, so no zone shifts it.
      clock: (time) =>
        intl.formatTime(`2026-01-01T${time}:00Z`, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }),
      number: (value, options) => intl.formatNumber(value, options),
      personName: (name) => (name ? (locale === 'ar' ? name.ar : name.latin) : '—'),
      specialtyName: (specialty) =>
        specialtyLabels[specialty as keyof typeof specialtyLabels]?.[locale] ?? specialty,
    }),
    [intl, locale],
  );
}
