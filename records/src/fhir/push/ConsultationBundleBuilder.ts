import type { Bundle } from '@medplum/fhirtypes';
import type { ConsultationDocument } from '../load/ConsultationGraphLoader.js';

/**
 * The consultation (as stored, read lean) as it stands once the signature or amendment being written is
 * applied: its new status, content, amendments and version. Without the outbox itself.
 */
export type ConsultationToPush = ConsultationDocument;

/**
 * Builds the FHIR R4 transaction Bundle of a consultation's resources. Its entries must be conditional creates
 * and updates on business identifiers (`ifNoneExist`, `PUT Type?identifier=…`), so that sending the same
 * bundle twice creates nothing twice. It may read (the patient, the practitioners) but writes nothing: it runs
 * before the signature's update, so that the update stays one write. It throws `InvalidBundleError` for a
 * bundle that is not valid FHIR, any other error for one it could not build.
 */
export type ConsultationBundleBuilder = (consultation: ConsultationToPush) => Promise<Bundle>;
