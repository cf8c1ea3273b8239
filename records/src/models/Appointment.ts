import { type InferSchemaType, Schema } from 'mongoose';
import { personNameSchema } from './nameSchemas.js';

const statuses = ['scheduled', 'waiting', 'in-progress', 'completed', 'cancelled', 'no-show'];

/**
 * The patient as schedules list them, copied at booking and rewritten when the patient's record changes:
 * a specialist's day, polled all day long, then reads one collection instead of two.
 */
const appointmentPatientSchema = new Schema(
  {
    name: { type: personNameSchema, required: true },
    mrn: { type: String, required: true },
    sex: { type: String, required: true },
    birthDate: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

export const appointmentSchema = new Schema(
  {
    kind: { type: String, enum: ['scheduled', 'on-demand'], required: true },
    clinicId: { type: Schema.Types.ObjectId, ref: 'Organization', required: true },
    patientId: { type: Schema.Types.ObjectId, ref: 'Patient', required: true },
    /** Absent on appointments booked before the copy was kept: lists look those patients up. */
    patient: appointmentPatientSchema,
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
    /** Specialists the booked specialist invited into the call: they read it and chat, nothing else. */
    invitations: {
      type: [
        {
          _id: false,
          specialistId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          at: { type: Date, required: true },
        },
      ],
      default: undefined,
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
// A Bulk Data export's `_since` (`fhir/bulk/sources/`): the records changed since, in that order.
appointmentSchema.index({ updatedAt: 1 });

export type AppointmentDoc = InferSchemaType<typeof appointmentSchema>;
