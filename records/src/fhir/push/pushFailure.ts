import type { OperationOutcome } from '@medplum/fhirtypes';

/** What one failed attempt means: try again later, or the server refused the bundle itself. */
export type PushFailure =
  | { kind: 'retry'; message: string }
  | { kind: 'refused'; message: string; outcome: OperationOutcome };

/**
 * Judges an error of `fhir-kit-client`: no answer (the server is down, a timeout) and 5xx, 408 and 429 are
 * passing troubles, tried again; any other 4xx is the server refusing this bundle, which sending it again
 * would not change: the item fails with the server's OperationOutcome (or one saying what the status was).
 */
export function judgePushFailure(error: unknown): PushFailure {
  const response = (error as { response?: { status?: number; data?: unknown } }).response;
  if (!response?.status) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
    return { kind: 'retry', message: `no answer from the FHIR server (${reason})` };
  }
  const { status, data } = response;
  const outcome = isOperationOutcome(data)
    ? data
    : ({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'exception', diagnostics: `HTTP ${status}` }],
      } satisfies OperationOutcome);
  const message = `HTTP ${status}: ${issueTexts(outcome)}`;
  if (status >= 500 || status === 408 || status === 429) return { kind: 'retry', message };
  return { kind: 'refused', message, outcome };
}

/** The issues of an OperationOutcome as one line a person reads, without the resource's other content. */
export function issueTexts(outcome: OperationOutcome): string {
  return (outcome.issue ?? [])
    .map((issue) => issue.details?.text ?? issue.diagnostics ?? issue.code)
    .join('; ')
    .slice(0, 1000);
}

function isOperationOutcome(data: unknown): data is OperationOutcome {
  return (data as { resourceType?: unknown } | undefined)?.resourceType === 'OperationOutcome';
}
