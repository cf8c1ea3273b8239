import { type InferSchemaType, Schema } from 'mongoose';
import { personNameSchema } from './nameSchemas.js';

export const userSchema = new Schema(
  {
    username: { type: String, required: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true, select: false },
    mustChangePassword: { type: Boolean, default: false },
    name: { type: personNameSchema, required: true },
    role: { type: String, enum: ['clinic_doctor', 'specialist', 'administrator', 'auditor'], required: true },
    organizationId: { type: Schema.Types.ObjectId, ref: 'Organization', required: true },
    specialty: String,
    phone: String,
    email: String,
    active: { type: Boolean, default: true },
    failedLogins: { type: Number, default: 0 },
    lockedUntil: Date,
    passwordChangedAt: Date,
  },
  { timestamps: true, strict: 'throw' },
);
userSchema.index({ username: 1 }, { unique: true });
userSchema.index({ role: 1, specialty: 1, active: 1 });
userSchema.index({ organizationId: 1, role: 1 });

export type UserDoc = InferSchemaType<typeof userSchema>;
