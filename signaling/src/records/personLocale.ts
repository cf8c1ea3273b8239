import { AsyncLocalStorage } from 'node:async_hooks';
import type { Locale } from '@telemed/shared';

const locales = new AsyncLocalStorage<Locale>();

/**
 * Runs `work` for a person who reads `locale`. Records' refusals are passed on to that person as records wrote
 * them, so records is asked in their language (see callRecordsAs); carried along the event's async work rather
 * than through every records call's arguments.
 */
export function onBehalfOf<T>(locale: Locale, work: () => T): T {
  return locales.run(locale, work);
}

/** The language of the person the current work is for; English outside any event (logs, background work). */
export function personLocale(): Locale {
  return locales.getStore() ?? 'en';
}
