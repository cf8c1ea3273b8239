import { systemClientInputSchema } from '@telemed/shared';
import { z } from 'zod';

/** Marks a key that is not JSON at all, apart from JSON that is not a public key. */
export const notJsonMessage = 'not JSON';

/**
 * The register form's values: the key as text (pasted, or read from a file), parsed here and then checked by
 * the shared public-key schema, so that a bad key is named in the form before records is asked.
 */
export const systemClientFormSchema = z.object({
  name: systemClientInputSchema.shape.name,
  publicKeyText: z
    .string()
    .trim()
    .min(1)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: notJsonMessage });
        return z.NEVER;
      }
    })
    .pipe(systemClientInputSchema.shape.publicKey),
  scopes: systemClientInputSchema.shape.scopes,
});
export type SystemClientFormValues = z.input<typeof systemClientFormSchema>;
export type SystemClientFormOutput = z.output<typeof systemClientFormSchema>;

/** All types, or each type a hospital may want alone (the resources the platform exports). */
export const allTypesScope = 'system/*.read';
export const perTypeScopes = [
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Appointment',
  'Encounter',
  'Observation',
  'Condition',
  'Composition',
  'Provenance',
  'ServiceRequest',
  'DocumentReference',
  'Communication',
  'AuditEvent',
].map((type) => `system/${type}.read`);
