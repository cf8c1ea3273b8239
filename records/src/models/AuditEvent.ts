import { type InferSchemaType, Schema } from 'mongoose';

/** Append-only: no route updates or deletes these. */
export const auditEventSchema = new Schema(
  {
    at: { type: Date, required: true },
    actorId: Schema.Types.ObjectId,
    actorRole: String,
    action: { type: String, required: true },
    resourceType: { type: String, required: true },
    /** The records read or changed: one for a record, every row for a list. */
    resourceIds: { type: [String], default: [] },
    patientIds: { type: [Schema.Types.ObjectId], default: [] },
    outcome: { type: String, enum: ['success', 'denied', 'failed'], required: true },
    reason: String,
    ip: String,
    /** The door it came through: http, signaling, worker, export. */
    via: String,
  },
  { strict: 'throw', versionKey: false },
);
auditEventSchema.index({ at: -1 });
auditEventSchema.index({ patientIds: 1, at: -1 });
auditEventSchema.index({ actorId: 1, at: -1 });
// The audit log's other filters: rare values (refusals) must not be looked for through every event.
auditEventSchema.index({ outcome: 1, at: -1 });
auditEventSchema.index({ resourceType: 1, at: -1 });
auditEventSchema.index({ action: 1, at: -1 });

export type AuditEventDoc = InferSchemaType<typeof auditEventSchema>;
