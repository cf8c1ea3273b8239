import { type InferSchemaType, Schema } from 'mongoose';

/**
 * A piece of one NDJSON output file of an export: whole lines, a few hundred kilobytes at most, so that no
 * document nears the 16 MB limit and a file of any size is served by streaming its chunks in order.
 */
export const bulkExportChunkSchema = new Schema(
  {
    jobId: { type: Schema.Types.ObjectId, ref: 'BulkExportJob', required: true },
    type: { type: String, required: true },
    seq: { type: Number, required: true },
    lines: { type: Number, required: true },
    ndjson: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
bulkExportChunkSchema.index({ jobId: 1, type: 1, seq: 1 }, { unique: true });
bulkExportChunkSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type BulkExportChunkDoc = InferSchemaType<typeof bulkExportChunkSchema>;
