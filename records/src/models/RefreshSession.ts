import { type InferSchemaType, Schema } from 'mongoose';

/** A sign-in: the refresh token is stored only as its SHA-256, and the session expires by TTL index. */
export const refreshSessionSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    ip: String,
    userAgent: String,
  },
  { timestamps: true, strict: 'throw' },
);
refreshSessionSchema.index({ tokenHash: 1 }, { unique: true });
refreshSessionSchema.index({ userId: 1 });
refreshSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type RefreshSessionDoc = InferSchemaType<typeof refreshSessionSchema>;
