import type { OperationOutcome } from '@medplum/fhirtypes';
import { issueTexts } from './pushFailure.js';

/**
 * A consultation's bundle that is not valid FHIR R4 (or breaks a vital-signs profile): it is never sent, and
 * its outbox item fails at once with these issues, for administrators to see, as a server's refusal would.
 */
export class InvalidBundleError extends Error {
  readonly outcome: OperationOutcome;

  constructor(outcome: OperationOutcome) {
    super(`the bundle is not valid FHIR R4: ${issueTexts(outcome)}`);
    this.name = 'InvalidBundleError';
    this.outcome = outcome;
  }
}
