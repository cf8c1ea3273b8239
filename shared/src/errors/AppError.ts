import type { z } from 'zod';
import type { Locale } from '../identifiers.js';
import { type ErrorBody, type ErrorCode, errorCatalog } from './errorCodes.js';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** A message a person reads, in every language the platform speaks. */
export type LocalizedMessage = Readonly<Record<Locale, string>>;

/**
 * An error a person can act on: a code from the catalog, a message, and where it maps, an HTTP status.
 *
 * The specific message is either a `LocalizedMessage` (every message a person may read: records' and
 * signaling's rules) or a plain English string, kept for what only reaches another service or a log (the SFU's
 * engine, whose errors signaling turns into its own): a plain string is answered in English only, and in any
 * other language the catalog's message for the code stands in for it, so no one reads a language they did not
 * ask for.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly #localized: LocalizedMessage | undefined;

  constructor(code: ErrorCode, message?: string | LocalizedMessage, details?: ErrorDetail[]) {
    // `message` stays English: it is what logs and the audit trail show.
    super(typeof message === 'string' ? message : (message?.en ?? errorCatalog[code].en));
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.#localized = typeof message === 'object' ? message : undefined;
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }

  /** The message in `locale`: the specific one when it was given in that language, else the catalog's. */
  messageIn(locale: Locale): string {
    if (this.#localized) return this.#localized[locale];
    if (locale === 'en') return this.message;
    return errorCatalog[this.code][locale];
  }

  /** The wire form, its message in `locale`. */
  toBody(locale: Locale = 'en'): ErrorBody {
    const message = this.messageIn(locale);
    return { error: { code: this.code, message, ...(this.details ? { details: this.details } : {}) } };
  }

  /**
   * VALIDATION_FAILED with a detail per problem. Field paths and zod's own messages stay as zod gives them (in
   * `details`, for the form that maps them); the sentence a person reads names the fields in their language.
   */
  static fromZod(error: z.ZodError, what = 'input'): AppError {
    const details = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    const fields = [...new Set(details.map((d) => d.path))].join('، ');
    return new AppError(
      'VALIDATION_FAILED',
      {
        en: `Invalid ${what}: ${summary}`,
        ar: `البيانات المرسلة غير صحيحة؛ صحّح هذه الحقول ثم أعد الإرسال: ${fields}.`,
      },
      details,
    );
  }
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return errorCatalog[code][locale];
}
