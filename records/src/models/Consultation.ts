import { type InferSchemaType, Schema } from 'mongoose';

const fhirOutboxItemSchema = new Schema(
  {
    /** The consultation's version the bundle was built from; items are in version order. */
    version: { type: Number, required: true },
    state: { type: String, enum: ['pending', 'sent', 'failed'], required: true },
    attempts: { type: Number, default: 0 },
    queuedAt: { type: Date, required: true },
    nextAttemptAt: Date,
    /** The transaction Bundle as JSON text, dropped once sent. */
    bundle: String,
    /** Why the last attempt did not succeed: the OperationOutcome's issue texts, or the network error. */
    lastError: String,
    /** The server's OperationOutcome of a refusal, as JSON text. */
    outcome: String,
    sentAt: Date,
    /** The server's answer to the transaction, without content: HTTP status and each entry's status. */
    response: { type: { _id: false, status: Number, entries: [String] }, default: undefined },
  },
  { _id: false },
);

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
    /**
     * The push outbox (`fhir/push/`): one item per signature and amendment, written in the same single-document
     * update as the change it pushes, so a push is never lost nor sent for a change that did not happen.
     * Never read with the record (`select: false`): it holds a copy of the clinical content.
     */
    fhirOutbox: { type: [fhirOutboxItemSchema], default: undefined, select: false },
    /** When the first item still to send is due (unset: nothing to send); the worker's claim index. */
    fhirPushDueAt: { type: Date, select: false },
    /** The worker holding the claim, until when: another node may claim it once this has passed. */
    fhirPushLease: { type: { _id: false, token: String, until: Date }, default: undefined, select: false },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
consultationSchema.index({ appointmentId: 1 }, { unique: true });
consultationSchema.index({ patientId: 1, createdAt: -1 });
consultationSchema.index({ specialistId: 1, createdAt: -1 });
// A Bulk Data export's `_since` (`fhir/bulk/sources/`): the records changed since, in that order.
consultationSchema.index({ updatedAt: 1 });
// The FHIR read API finds an Observation, a Communication or a DocumentReference by the id of its entry.
consultationSchema.index({ 'vitalSigns.id': 1 }, { sparse: true });
consultationSchema.index({ 'chat.id': 1 }, { sparse: true });
consultationSchema.index({ 'attachments.id': 1 }, { sparse: true });
// Only consultations with something to push are in these: sparse, and small next to the collection.
consultationSchema.index({ fhirPushDueAt: 1 }, { sparse: true });
consultationSchema.index({ 'fhirOutbox.state': 1, _id: -1 }, { sparse: true });

export type ConsultationDoc = InferSchemaType<typeof consultationSchema>;
