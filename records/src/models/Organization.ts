import { type InferSchemaType, Schema, type UpdateQuery } from 'mongoose';
import { organizationSearchTerms } from '../organizations/organizationSearchTerms.js';
import { organizationNameSchema } from './nameSchemas.js';

export const organizationSchema = new Schema(
  {
    kind: { type: String, enum: ['clinic', 'hospital'], required: true },
    name: { type: organizationNameSchema, required: true },
    /** Normalised word prefixes of both names, for the list's search; kept in step with `name` below. */
    searchTerms: { type: [String], default: [] },
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
// The list's order (kind, then English name) straight from an index, a page at a time.
organizationSchema.index({ kind: 1, 'name.en': 1 });
organizationSchema.index({ searchTerms: 1, kind: 1 });

// The terms are computed wherever a name is written through the model (the routes, the seed, the fixtures),
// so no writer can forget them; rows written before the terms existed get them from `backfillSearchTerms`.
organizationSchema.pre('validate', function () {
  if (this.isNew || this.isModified('name')) this.searchTerms = organizationSearchTerms(this.name);
});
organizationSchema.pre(['findOneAndUpdate', 'updateOne'], function () {
  const update = this.getUpdate() as UpdateQuery<{ name?: { ar: string; en: string } }> | null;
  const name = update?.name ?? update?.$set?.name;
  if (name?.ar && name.en)
    this.setUpdate({ ...update, $set: { ...update?.$set, searchTerms: organizationSearchTerms(name) } });
});

export type OrganizationDoc = InferSchemaType<typeof organizationSchema>;
