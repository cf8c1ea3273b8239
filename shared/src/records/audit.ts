import { z } from 'zod';
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
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditQuerySchema = z.object({
  actorId: objectIdSchema.optional(),
  patientId: objectIdSchema.optional(),
  resourceType: z.string().max(64).optional(),
  outcome: auditOutcomeSchema.optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
