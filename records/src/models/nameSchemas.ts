import { Schema } from 'mongoose';

/** A person's name in Arabic and in Latin letters. */
export const personNameSchema = new Schema(
  { ar: { type: String, required: true }, latin: { type: String, required: true } },
  { _id: false, strict: 'throw' },
);

/** An organization's name in Arabic and English. */
export const organizationNameSchema = new Schema(
  { ar: { type: String, required: true }, en: { type: String, required: true } },
  { _id: false, strict: 'throw' },
);
