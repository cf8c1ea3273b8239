import type { AuthenticatedSystemClient, AuthenticatedUser } from '@telemed/shared';
import type { AuditActor } from '../../audit/AuditActor.js';

/**
 * Who calls the FHIR API: a signed-in person (the records API's rules apply to them) or a registered system
 * client (SMART Backend Services) with the scopes its token was granted. Audit events name either.
 */
export type FhirCaller =
  | { kind: 'user'; user: AuthenticatedUser; actor: AuditActor }
  | { kind: 'system'; client: AuthenticatedSystemClient; actor: AuditActor };
