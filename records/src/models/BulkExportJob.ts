import { type InferSchemaType, Schema } from 'mongoose';

export const bulkExportStatuses = ['in-progress', 'completed', 'failed', 'cancelled'] as const;

/**
 * A Bulk Data export, kept in the database so that any records node answers its status and serves its files,
 * and a node that dies mid-export leaves a lease another node takes over.
 */
export const bulkExportJobSchema = new Schema(
  {
    clientId: { type: Schema.Types.ObjectId, ref: 'SystemClient', required: true },
    /** The kick-off URL as the client sent it (the manifest's `request`). */
    request: { type: String, required: true },
    level: { type: String, enum: ['system', 'patient'], required: true },
    types: { type: [String], required: true },
    since: Date,
    status: { type: String, enum: bulkExportStatuses, required: true },
    /** When the export started reading: resources changed later are not in it. */
    transactionTime: { type: Date, required: true },
    written: { type: Number, default: 0 },
    estimatedTotal: { type: Number, default: 0 },
    output: {
      type: [{ _id: false, type: { type: String, required: true }, count: { type: Number, required: true } }],
      default: [],
    },
    errorMessage: String,
    /** The node running it and until when; an expired lease is taken over by another node. */
    leaseOwner: String,
    leaseUntil: Date,
    completedAt: Date,
    /** Output and job are removed after this (TTL index). */
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
bulkExportJobSchema.index({ status: 1, leaseUntil: 1 });
bulkExportJobSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type BulkExportJobDoc = InferSchemaType<typeof bulkExportJobSchema>;
