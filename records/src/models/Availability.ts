import { type InferSchemaType, Schema } from 'mongoose';

export const availabilitySchema = new Schema(
  {
    specialistId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    timeZone: { type: String, default: 'Africa/Cairo' },
    weekly: {
      type: [
        new Schema(
          {
            weekday: { type: Number, required: true },
            start: { type: String, required: true },
            end: { type: String, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    exceptions: {
      type: [
        new Schema(
          {
            from: { type: String, required: true },
            to: { type: String, required: true },
            reason: { type: String, default: '' },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { timestamps: true, strict: 'throw' },
);
availabilitySchema.index({ specialistId: 1 }, { unique: true });

export type AvailabilityDoc = InferSchemaType<typeof availabilitySchema>;
