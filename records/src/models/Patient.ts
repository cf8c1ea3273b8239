import { type InferSchemaType, Schema } from 'mongoose';
import { personNameSchema } from './nameSchemas.js';

export const patientSchema = new Schema(
  {
    clinicId: { type: Schema.Types.ObjectId, ref: 'Organization', required: true },
    mrn: { type: String, required: true },
    nationalId: String,
    name: { type: personNameSchema, required: true },
    /** Normalised words of both names, for search by any word. */
    searchTerms: { type: [String], default: [] },
    sex: { type: String, enum: ['female', 'male'], required: true },
    birthDate: { type: String, required: true },
    phone: String,
    allergies: { type: [String], default: [] },
    chronicConditions: { type: [String], default: [] },
    currentMedications: { type: [{ _id: false, name: String, dose: String }], default: [] },
  },
  { timestamps: true, strict: 'throw' },
);
patientSchema.index({ clinicId: 1, mrn: 1 }, { unique: true });
patientSchema.index(
  { nationalId: 1 },
  { unique: true, partialFilterExpression: { nationalId: { $type: 'string' } } },
);
patientSchema.index({ searchTerms: 1, clinicId: 1 });
// A Bulk Data export's `_since` (`fhir/bulk/sources/`): the records changed since, in that order.
patientSchema.index({ updatedAt: 1 });

export type PatientDoc = InferSchemaType<typeof patientSchema>;
