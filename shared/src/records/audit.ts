import { z } from 'zod';
import { errorCodeSchema } from '../errors/errorCodes.js';
import { objectIdSchema } from '../identifiers.js';
import { roleSchema } from '../roles.js';
import { isoDateTimeSchema } from './common.js';

export const auditActionSchema = z.enum([
  'read',
  'create',
  'update',
  'delete',
  'login',
  'logout',
  'export',
  'sign',
]);
export const auditOutcomeSchema = z.enum(['success', 'denied', 'failed']);
/** The door a read or change came through. Events written before it was recorded have none. */
export const auditViaSchema = z.enum(['http', 'signaling', 'worker', 'export']);
export type AuditVia = z.infer<typeof auditViaSchema>;

const namesSchema = z.object({ ar: z.string(), latin: z.string() });

/** Who acted, as the trail names them (resolved for the page from the account; absent when it is gone). */
export const auditActorSchema = z.object({ name: namesSchema, username: z.string() });
export type AuditActorName = z.infer<typeof auditActorSchema>;

/** A patient an event names: identity only, never clinical content. */
export const auditPatientNameSchema = z.object({ id: objectIdSchema, name: namesSchema, mrn: z.string() });
export type AuditPatientName = z.infer<typeof auditPatientNameSchema>;

export const auditEventSchema = z.object({
  id: objectIdSchema,
  at: z.string(),
  actorId: objectIdSchema.optional(),
  actorRole: roleSchema.optional(),
  action: auditActionSchema,
  resourceType: z.string(),
  resourceIds: z.array(z.string()),
  patientIds: z.array(objectIdSchema),
  outcome: auditOutcomeSchema,
  reason: z.string().optional(),
  ip: z.string().optional(),
  via: auditViaSchema.optional(),
  /** The actor's name, read for the page with one query (not stored on the event). */
  actor: auditActorSchema.optional(),
  /** The patients of `patientIds` still on record, with name and MRN, read for the page with one query. */
  patients: z.array(auditPatientNameSchema).optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** `GET /api/audit/people` and `/api/audit/patients`: a name, a username, an MRN or a national ID. */
export const auditLookupQuerySchema = z.object({ q: z.string().trim().max(100).optional() });

/** A person an auditor may filter the trail by: who they are and where they work, nothing else. */
export const auditPersonSchema = z.object({
  id: objectIdSchema,
  username: z.string(),
  name: namesSchema,
  role: roleSchema,
  active: z.boolean(),
  organization: z
    .object({ id: objectIdSchema, name: z.object({ ar: z.string(), en: z.string() }) })
    .optional(),
});
export type AuditPerson = z.infer<typeof auditPersonSchema>;

/** A patient an auditor may filter the trail by: identity and clinic, no clinical content. */
export const auditPatientSchema = z.object({
  id: objectIdSchema,
  name: namesSchema,
  mrn: z.string(),
  clinic: z.object({ id: objectIdSchema, name: z.object({ ar: z.string(), en: z.string() }) }).optional(),
});
export type AuditPatient = z.infer<typeof auditPatientSchema>;

export const auditQuerySchema = z.object({
  actorId: objectIdSchema.optional(),
  patientId: objectIdSchema.optional(),
  action: auditActionSchema.optional(),
  resourceType: z.string().max(64).optional(),
  outcome: auditOutcomeSchema.optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The most events one CSV export holds, newest first: a narrower filter or period exports the rest. */
export const auditExportLimit = 50_000;

/**
 * A refusal signaling made itself (a room event from the wrong role, from outside the room, out of order),
 * reported by signaling with the refused user's own token: the token's user is the actor. Only names and
 * codes, never the refused payload, so that what a client sends is not written to the trail.
 */
export const signalingRefusalSchema = z.strictObject({
  /** The signaling event refused, e.g. `room:admit`. */
  event: z
    .string()
    .max(40)
    .regex(/^[a-z]+:[a-z-]+$/, 'an event name such as room:admit'),
  code: errorCodeSchema,
  /** The room (appointment) the event was about, when it named one. */
  appointmentId: objectIdSchema.optional(),
  /** Signaling's message for the refusal (English). */
  message: z.string().max(300).optional(),
});
export type SignalingRefusal = z.infer<typeof signalingRefusalSchema>;
