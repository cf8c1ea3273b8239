import type { Resource, ResourceType } from '@medplum/fhirtypes';
import type { ConsultationDoc } from '../../../models/Consultation.js';
import type { Models } from '../../../models/registerModels.js';
import { mapCompositions } from '../../mapping/compositionMapping.js';
import { mapConditions } from '../../mapping/conditionMapping.js';
import { mapAttachment, mapChatMessage } from '../../mapping/documentMapping.js';
import { mapEncounter } from '../../mapping/encounterMapping.js';
import type { FhirMappingContext } from '../../mapping/fhirSystems.js';
import type { ConsultationGraph, ConsultationRecord } from '../../mapping/mappingInputs.js';
import { mapProvenances } from '../../mapping/provenanceMapping.js';
import { mapReferral } from '../../mapping/referralMapping.js';
import { mapVitalSign } from '../../mapping/vitalSignMapping.js';
import type { BulkTypeSource } from '../BulkTypeSource.js';
import type { ConsultationGraphBatches } from './ConsultationGraphBatches.js';
import { changedSince } from './changedSince.js';

/** How many consultations the estimate looks at to guess how many resources of a type each gives. */
const estimateSample = 50;

type StoredConsultation = Partial<ConsultationDoc>;

/** A type made from a consultation alone (its own arrays), or from its whole graph. */
type ConsultationMapping =
  | { needs: 'consultation'; map: (consultation: ConsultationRecord) => Resource[] }
  | { needs: 'graph'; map: (graph: ConsultationGraph) => Resource[] };

interface ConsultationTypeSpec {
  type: ResourceType;
  mapping: ConsultationMapping;
  /**
   * The consultations that can give the type, when not all can: the store leaves the others out, so an export
   * without chat reads no consultation for Communication.
   */
  only?: Record<string, unknown>;
  /** About how many resources of the type one stored consultation gives (for the progress only). */
  perConsultation: (doc: StoredConsultation) => number;
}

const contextOf = (consultation: ConsultationRecord) => ({
  consultationId: consultation.id,
  patientId: consultation.patientId,
});

const diagnosesOf = (doc: StoredConsultation) => {
  const diagnoses = (doc.content as { diagnoses?: unknown[] } | undefined)?.diagnoses;
  return Array.isArray(diagnoses) ? diagnoses.length : 0;
};
const versionsOf = (doc: StoredConsultation) =>
  doc.status === 'signed' ? 1 + (doc.amendments?.length ?? 0) : 0;

function consultationTypes(mapping: FhirMappingContext): ConsultationTypeSpec[] {
  return [
    {
      type: 'Encounter',
      mapping: { needs: 'graph', map: (graph) => [mapEncounter(graph)] },
      perConsultation: () => 1,
    },
    {
      type: 'Observation',
      mapping: {
        needs: 'consultation',
        map: (consultation) =>
          consultation.vitalSigns.map((vital) => mapVitalSign(vital, contextOf(consultation))),
      },
      only: { 'vitalSigns.0': { $exists: true } },
      perConsultation: (doc) => doc.vitalSigns?.length ?? 0,
    },
    { type: 'Condition', mapping: { needs: 'graph', map: mapConditions }, perConsultation: diagnosesOf },
    {
      type: 'Composition',
      mapping: { needs: 'graph', map: mapCompositions },
      perConsultation: (doc) => Math.max(1, versionsOf(doc)),
    },
    { type: 'Provenance', mapping: { needs: 'graph', map: mapProvenances }, perConsultation: versionsOf },
    {
      type: 'ServiceRequest',
      mapping: { needs: 'graph', map: (graph) => [mapReferral(graph) ?? []].flat() },
      // A referral an amendment took out is still exported (revoked): the earlier versions are looked at too.
      only: {
        $or: [{ 'content.referral': { $nin: [null] } }, { 'amendments.previous.referral': { $nin: [null] } }],
      },
      perConsultation: (doc) => ((doc.content as { referral?: unknown } | undefined)?.referral ? 1 : 0),
    },
    {
      type: 'DocumentReference',
      mapping: {
        needs: 'consultation',
        map: (consultation) =>
          consultation.attachments.map((attachment) =>
            mapAttachment(attachment, contextOf(consultation), mapping),
          ),
      },
      only: { 'attachments.0': { $exists: true } },
      perConsultation: (doc) => doc.attachments?.length ?? 0,
    },
    {
      type: 'Communication',
      mapping: {
        needs: 'consultation',
        map: (consultation) =>
          consultation.chat.map((message) => mapChatMessage(message, contextOf(consultation))),
      },
      only: { 'chat.0': { $exists: true } },
      perConsultation: (doc) => doc.chat?.length ?? 0,
    },
  ];
}

/**
 * The types each consultation gives, each streamed from its own pass over the consultations: a type that needs
 * only the consultation (vitals, chat, attachments) reads nothing else; the others get their graphs batched.
 */
export function consultationSources(
  models: Models,
  batches: ConsultationGraphBatches,
  mapping: FhirMappingContext,
): BulkTypeSource[] {
  return consultationTypes(mapping).map((spec) => ({
    type: spec.type,
    patientCompartment: true,
    async estimate(since) {
      const filter = { ...spec.only, ...changedSince(since).filter };
      const [count, sample] = await Promise.all([
        models.Consultation.countDocuments(filter),
        models.Consultation.find(filter).sort({ _id: -1 }).limit(estimateSample).lean<StoredConsultation[]>(),
      ]);
      if (sample.length === 0) return 0;
      const sampled = sample.reduce((sum, doc) => sum + spec.perConsultation(doc), 0);
      return Math.round((count * sampled) / sample.length);
    },
    async *stream(since, signal) {
      const { mapping: typeMapping } = spec;
      const resources =
        typeMapping.needs === 'consultation'
          ? mapEach(batches.consultations(since, signal, spec.only), typeMapping.map)
          : mapEach(batches.graphs(since, signal, spec.only), typeMapping.map);
      for await (const resource of resources) {
        // A consultation gives several resources: a cancel stops between any two of them.
        if (signal.aborted) return;
        yield resource;
      }
    },
  }));
}

async function* mapEach<T>(
  records: AsyncIterable<T>,
  map: (record: T) => Resource[],
): AsyncGenerator<Resource> {
  for await (const record of records) yield* map(record);
}
