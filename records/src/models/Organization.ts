import { type InferSchemaType, Schema } from 'mongoose';
import { organizationNameSchema } from './nameSchemas.js';

export const organizationSchema = new Schema(
  {
    kind: { type: String, enum: ['clinic', 'hospital'], required: true },
    name: { type: organizationNameSchema, required: true },
    governorate: { type: String, required: true },
    district: { type: String, required: true },
    address: { type: String, default: '' },
    phone: String,
    specialties: { type: [String], default: [] },
    timeZone: { type: String, default: 'Africa/Cairo' },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, strict: 'throw' },
);
organizationSchema.index({ kind: 1, governorate: 1 });

export type OrganizationDoc = InferSchemaType<typeof organizationSchema>;
