import type { Locale } from '@telemed/shared';
import { ar, type MessageKey } from './ar.js';
import { en } from './en.js';

export type { MessageKey };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { ar, en };

/**
 * The locale handed to Intl: Egyptian Arabic with Arabic-Indic digits (٠١٢٣), written out with `-u-nu-arab`
 * because plain `ar` now defaults to Latin digits in CLDR; British English for day-month dates.
 */
export const intlLocales: Record<Locale, string> = { ar: 'ar-EG-u-nu-arab', en: 'en-GB' };

/** Appointment times are shown in the hospitals' time zone, whatever the browser's is set to. */
export const hospitalTimeZone = 'Africa/Cairo';
