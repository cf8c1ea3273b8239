import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { pageSchema } from './common.js';

/** An item of the push to the hospital's FHIR server: waiting (or retrying), sent, or failed for good. */
export const fhirPushStateSchema = z.enum(['pending', 'sent', 'failed']);
export type FhirPushState = z.infer<typeof fhirPushStateSchema>;

export const fhirPushQuerySchema = z.object({ state: fhirPushStateSchema.optional() });

/**
 * What administrators see of an outbox item: its state, never its content (the bundle is clinical data, which
 * administrators do not read).
 */
export const fhirPushItemSchema = z.object({
  consultationId: objectIdSchema,
  /** The consultation's version the item pushes (a signature, then each amendment). */
  version: z.number().int(),
  state: fhirPushStateSchema,
  attempts: z.number().int(),
  queuedAt: z.string(),
  /** When the next attempt is due (pending items). */
  nextAttemptAt: z.string().optional(),
  /** The server's OperationOutcome issues, or why it could not be reached. */
  lastError: z.string().optional(),
  sentAt: z.string().optional(),
});
export type FhirPushItem = z.infer<typeof fhirPushItemSchema>;

export const fhirPushRetryParamsSchema = z.object({
  consultationId: objectIdSchema,
  version: z.coerce.number().int().min(0).max(1_000_000),
});

/** A page of the push, and whether the push is on at all (records runs it only with FHIR_PUSH_URL set). */
export const fhirPushPageSchema = pageSchema(fhirPushItemSchema).extend({ enabled: z.boolean() });
export type FhirPushPage = z.infer<typeof fhirPushPageSchema>;
