import { type InferSchemaType, Schema } from 'mongoose';

export const consultationSchema = new Schema(
  {
    appointmentId: { type: Schema.Types.ObjectId, ref: 'Appointment', required: true },
    patientId: { type: Schema.Types.ObjectId, ref: 'Patient', required: true },
    clinicId: { type: Schema.Types.ObjectId, ref: 'Organization', required: true },
    specialistId: { type: Schema.Types.ObjectId, ref: 'User' },
    status: { type: String, enum: ['draft', 'signed'], default: 'draft' },
    /** Bumped by every change; a writer must name the version it saw. */
    version: { type: Number, default: 0 },
    content: { type: Schema.Types.Mixed, default: {} },
    vitalSigns: { type: [Schema.Types.Mixed], default: [] },
    chat: {
      type: [
        {
          _id: false,
          id: String,
          authorId: Schema.Types.ObjectId,
          authorRole: String,
          text: String,
          at: Date,
        },
      ],
      default: [],
    },
    attachments: {
      type: [
        {
          _id: false,
          id: String,
          fileName: String,
          contentType: String,
          size: Number,
          /** Base64 SHA-1 of the bytes, as FHIR's Attachment.hash carries it; kept from the upload on. */
          sha1: String,
          uploadedBy: Schema.Types.ObjectId,
          uploadedAt: Date,
        },
      ],
      default: [],
    },
    signedAt: Date,
    signedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    amendments: {
      type: [
        { _id: false, version: Number, at: Date, by: Schema.Types.ObjectId, reason: String, previous: {} },
      ],
      default: [],
    },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
consultationSchema.index({ appointmentId: 1 }, { unique: true });
consultationSchema.index({ patientId: 1, createdAt: -1 });
consultationSchema.index({ specialistId: 1, createdAt: -1 });

export type ConsultationDoc = InferSchemaType<typeof consultationSchema>;
