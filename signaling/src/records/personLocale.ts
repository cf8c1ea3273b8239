import { AsyncLocalStorage } from 'node:async_hooks';
import type { Locale } from '@telemed/shared';

/** What the event being handled carries into the records calls it makes. */
interface OnBehalfOf {
  locale: Locale;
  /** The id of the event, sent to records as `x-request-id` so that both services' log lines meet. */
  requestId: string | undefined;
}

const events = new AsyncLocalStorage<OnBehalfOf>();

/**
 * Runs `work` for a person who reads `locale`. Records' refusals are passed on to that person as records wrote
 * them, so records is asked in their language (see callRecordsAs); carried along the event's async work rather
 * than through every records call's arguments, as is the event's request id.
 */
export function onBehalfOf<T>(locale: Locale, work: () => T, requestId?: string): T {
  return events.run({ locale, requestId }, work);
}

/** The language of the person the current work is for; English outside any event (logs, background work). */
export function personLocale(): Locale {
  return events.getStore()?.locale ?? 'en';
}

/** The request id of the event being handled; none outside an event (records then makes its own). */
export function currentRequestId(): string | undefined {
  return events.getStore()?.requestId;
}
