import type { Provenance } from '@medplum/fhirtypes';
import { compositionId, signedVersions } from './consultationVersions.js';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier, fhirSystems } from './fhirSystems.js';
import type { ConsultationGraph } from './mappingInputs.js';

/**
 * Who signed the note and when, and who amended it, when and why: one Provenance per signed version, each
 * targeting that version's Composition. The signer is the `attester`; an amender the `author` of the
 * update, with the reason as its text. A draft has none.
 */
export function mapProvenances(graph: ConsultationGraph): Provenance[] {
  const { consultation } = graph;
  return signedVersions(consultation).map((version) => {
    const id = `${compositionId(consultation.id, version.number)}-provenance`;
    const amendment = version.number > 1;
    return {
      resourceType: 'Provenance',
      id,
      // R4 gives Provenance no `identifier`; a tag of ours is what a conditional create can search on (`_tag`).
      meta: { tag: [provenanceTag(id)] },
      target: [referenceTo('Composition', compositionId(consultation.id, version.number))],
      occurredDateTime: fhirInstant(version.at),
      recorded: fhirInstant(version.at),
      ...(version.reason ? { reason: [{ text: version.reason }] } : {}),
      activity: {
        coding: [
          amendment
            ? { system: fhirSystems.dataOperation, code: 'UPDATE', display: 'revise' }
            : { system: fhirSystems.dataOperation, code: 'CREATE', display: 'create' },
        ],
        text: amendment ? 'amended' : 'signed',
      },
      agent: [
        {
          type: {
            coding: [
              amendment
                ? { system: fhirSystems.provenanceParticipantType, code: 'author', display: 'Author' }
                : { system: fhirSystems.provenanceParticipantType, code: 'attester', display: 'Attester' },
            ],
          },
          who: referenceTo('Practitioner', version.by),
        },
      ],
    } satisfies Provenance;
  });
}

/** The business identifier of a Provenance, as a `meta.tag` coding. */
export function provenanceTag(id: string) {
  const { system, value } = businessIdentifier('provenance', id);
  return { system, code: value };
}
