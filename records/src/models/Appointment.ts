import { type InferSchemaType, Schema } from 'mongoose';

const statuses = ['scheduled', 'waiting', 'in-progress', 'completed', 'cancelled', 'no-show'];

export const appointmentSchema = new Schema(
  {
    kind: { type: String, enum: ['scheduled', 'on-demand'], required: true },
    clinicId: { type: Schema.Types.ObjectId, ref: 'Organization', required: true },
    patientId: { type: Schema.Types.ObjectId, ref: 'Patient', required: true },
    specialty: { type: String, required: true },
    specialistId: { type: Schema.Types.ObjectId, ref: 'User' },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    reason: { type: String, required: true },
    priority: { type: String, enum: ['routine', 'urgent'], default: 'routine' },
    status: { type: String, enum: statuses, required: true },
    statusHistory: {
      type: [{ _id: false, status: String, at: Date, by: Schema.Types.ObjectId, note: String }],
      default: [],
    },
    specialistJoinedAt: Date,
    completedAt: Date,
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true, strict: 'throw', optimisticConcurrency: true },
);
appointmentSchema.index({ specialistId: 1, start: 1 });
appointmentSchema.index({ clinicId: 1, start: 1 });
appointmentSchema.index({ patientId: 1, start: -1 });
appointmentSchema.index({ kind: 1, specialty: 1, status: 1, createdAt: 1 });
appointmentSchema.index({ start: 1 });

export type AppointmentDoc = InferSchemaType<typeof appointmentSchema>;
