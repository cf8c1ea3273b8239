import { type Locale, specialtyLabels } from '@telemed/shared';

/** Appointment times are shown in the hospitals' time zone, whatever the browser's is set to. */
export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ar' ? 'ar-EG' : 'en-GB', {
    timeZone: 'Africa/Cairo',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function specialtyName(specialty: string, locale: Locale): string {
  return specialtyLabels[specialty as keyof typeof specialtyLabels]?.[locale] ?? specialty;
}

export function personName(name: { ar: string; latin: string } | undefined, locale: Locale): string {
  if (!name) return '—';
  return locale === 'ar' ? name.ar : name.latin;
}
