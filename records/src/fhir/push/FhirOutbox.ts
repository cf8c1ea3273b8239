import type { ConsultationBundleBuilder, ConsultationToPush } from './ConsultationBundleBuilder.js';
import { InvalidBundleError } from './InvalidBundleError.js';

/** What a signature's or an amendment's update adds to queue its push. */
export interface OutboxUpdate {
  $push: { fhirOutbox: Record<string, unknown> };
  $set: { fhirPushDueAt: Date };
}

/**
 * The queueing side of the push to the hospital's FHIR server.
 *
 * Why in the consultation's own document: the embedded store has no multi-document transactions and a real
 * MongoDB may be a standalone server, so "queued in the same change as the signature" can only be one
 * single-document update, which both stores apply atomically. The item is `$push`ed onto `fhirOutbox` by the
 * very update that signs (or amends) under the optimistic version check: either the signature and its item
 * are both written, or neither is. `fhirPushDueAt` (sparse index) is what the worker claims by; setting it to
 * now even when an earlier item is backing off is harmless, as the worker always takes the first item still
 * pending and puts the due time back to that item's.
 */
export class FhirOutbox {
  readonly #build: ConsultationBundleBuilder;

  constructor(build: ConsultationBundleBuilder) {
    this.#build = build;
  }

  /** The update fragment queueing `consultation` (as it will stand after the change) for the push. */
  async queue(consultation: ConsultationToPush, now = new Date()): Promise<OutboxUpdate> {
    const item = { version: consultation.version, attempts: 0, queuedAt: now };
    let bundle: string;
    try {
      bundle = JSON.stringify(await this.#build(consultation));
    } catch (error) {
      // The signature stands without its bundle: a push that cannot be built, or is not valid FHIR, is a
      // failed item the administrators see (an amendment queues a new one), never a signature refused for it.
      const failure =
        error instanceof InvalidBundleError
          ? { lastError: error.message, outcome: JSON.stringify(error.outcome) }
          : {
              lastError: `the bundle could not be built: ${error instanceof Error ? error.message : String(error)}`,
            };
      return {
        $push: { fhirOutbox: { ...item, state: 'failed', ...failure } },
        $set: { fhirPushDueAt: now },
      };
    }
    return {
      $push: { fhirOutbox: { ...item, state: 'pending', nextAttemptAt: now, bundle } },
      $set: { fhirPushDueAt: now },
    };
  }
}
