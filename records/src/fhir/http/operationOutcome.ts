import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { AppError, type ErrorCode, type Locale } from '@telemed/shared';

/** `application/fhir+json`, the media type of every FHIR answer but NDJSON files. */
export const fhirJson = 'application/fhir+json; charset=utf-8';

/** The FHIR issue code (http://hl7.org/fhir/issue-type) of each platform error code. */
const issueCodes: Partial<Record<ErrorCode, OperationOutcomeIssue['code']>> = {
  VALIDATION_FAILED: 'invalid',
  PAYLOAD_TOO_LARGE: 'too-costly',
  UNSUPPORTED_MEDIA_TYPE: 'not-supported',
  UNAUTHENTICATED: 'login',
  TOKEN_EXPIRED: 'expired',
  INVALID_CREDENTIALS: 'login',
  ACCOUNT_LOCKED: 'security',
  ACCOUNT_INACTIVE: 'security',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  FHIR_NOT_SUPPORTED: 'not-supported',
  CONFLICT: 'conflict',
  STALE_WRITE: 'conflict',
  UNPROCESSABLE: 'processing',
  RATE_LIMITED: 'throttled',
  SERVICE_UNAVAILABLE: 'transient',
  INTERNAL: 'exception',
};

/**
 * The one mapping of a platform error to FHIR: an OperationOutcome and its HTTP status (Medplum's `outcomes.ts`
 * in spirit). `details.text` is the message in the request's language; `diagnostics` keeps the other language,
 * so a hospital's engineer reading English and a clerk reading Arabic both understand it. `details.coding`
 * carries the platform's code for programs.
 */
export function operationOutcomeOf(
  error: AppError,
  locale: Locale,
): { status: number; outcome: OperationOutcome } {
  const other: Locale = locale === 'ar' ? 'en' : 'ar';
  const issue: OperationOutcomeIssue = {
    severity: error.status >= 500 ? 'fatal' : 'error',
    code: issueCodes[error.code] ?? 'processing',
    details: {
      coding: [{ system: 'urn:telemed:error-code', code: error.code }],
      text: error.messageIn(locale),
    },
    diagnostics: error.messageIn(other),
  };
  const issues: OperationOutcomeIssue[] = [issue];
  for (const detail of error.details ?? []) {
    issues.push({
      severity: 'error',
      code: 'invalid',
      diagnostics: detail.message,
      expression: [detail.path],
    });
  }
  return { status: error.status, outcome: { resourceType: 'OperationOutcome', issue: issues } };
}

/** An informational OperationOutcome (a successful cancel, for one), in both languages. */
export function informationOutcome(message: { en: string; ar: string }, locale: Locale): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'information',
        code: 'informational',
        details: { text: message[locale] },
        diagnostics: message[locale === 'ar' ? 'en' : 'ar'],
      },
    ],
  };
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
