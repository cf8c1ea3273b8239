import { type InferSchemaType, Schema } from 'mongoose';

/**
 * A hospital system that authenticates with SMART Backend Services (a JWT signed by its private key): its
 * public key or key set, the scopes an administrator allowed it, and who registered it.
 */
export const systemClientSchema = new Schema(
  {
    name: { type: String, required: true },
    /** A public JWK or a JWKS `{keys: [...]}`, as registered. */
    publicKey: { type: Schema.Types.Mixed, required: true },
    scopes: { type: [String], required: true },
    active: { type: Boolean, default: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true, strict: 'throw' },
);

export type SystemClientDoc = InferSchemaType<typeof systemClientSchema>;
