import { type InferSchemaType, Schema } from 'mongoose';

/**
 * The `jti` of every client assertion accepted, until the assertion itself expires: a second use is refused
 * on every records node, since the unique `_id` lives in the shared database, not in one node's memory.
 */
export const usedClientAssertionSchema = new Schema(
  {
    /** `<client id>:<jti>`. */
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
usedClientAssertionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type UsedClientAssertionDoc = InferSchemaType<typeof usedClientAssertionSchema>;
