import type { z } from 'zod';
import type { Locale } from '../identifiers.js';
import { type ErrorBody, type ErrorCode, errorCatalog } from './errorCodes.js';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error a person can act on: a code from the catalog, a message, and where it maps, an HTTP status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message?: string, details?: ErrorDetail[]) {
    super(message ?? errorCatalog[code].en);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }

  /** The wire form; `locale` picks the catalog message when no specific one was given. */
  toBody(locale: Locale = 'en'): ErrorBody {
    const message =
      this.message === errorCatalog[this.code].en ? errorCatalog[this.code][locale] : this.message;
    return { error: { code: this.code, message, ...(this.details ? { details: this.details } : {}) } };
  }

  static fromZod(error: z.ZodError, what = 'input'): AppError {
    const details = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return new AppError('VALIDATION_FAILED', `Invalid ${what}: ${summary}`, details);
  }
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return errorCatalog[code][locale];
}
