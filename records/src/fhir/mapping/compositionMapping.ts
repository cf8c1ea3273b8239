import type { CodeableConcept, Composition, CompositionSection, Reference } from '@medplum/fhirtypes';
import { compositionId, type SignedVersion, signedVersions } from './consultationVersions.js';
import { conditionId } from './encounterMapping.js';
import { fhirInstant, referenceTo } from './fhirReferences.js';
import { businessIdentifier, fhirSystems } from './fhirSystems.js';
import type { ConsultationGraph } from './mappingInputs.js';
import { referralId } from './referralMapping.js';

const loincSection = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: fhirSystems.loinc, code, display }],
  text: display,
});

/** Recommendations have no LOINC section code of their own; ours keeps them apart from the plan. */
const recommendationsSection: CodeableConcept = {
  coding: [
    { system: 'urn:telemed:composition-section', code: 'recommendations', display: 'Recommendations' },
  ],
  text: 'Recommendations',
};

/**
 * The consultation note as Compositions (LOINC 11488-4, consult note), one per signed version: the signed note
 * is version 1, each amendment a new Composition that `replaces` the one before, which stays as it was. The
 * versions are immutable documents, so a receiver keeps every one whether or not its server keeps history.
 * A draft is one `preliminary` Composition (version 0), replaced in place until signed.
 */
export function mapCompositions(graph: ConsultationGraph): Composition[] {
  const versions = signedVersions(graph.consultation);
  if (versions.length === 0) return [mapDraftComposition(graph)];
  return versions.map((version) => mapComposition(graph, version, versions.length));
}

function mapDraftComposition(graph: ConsultationGraph): Composition {
  const { consultation } = graph;
  return compositionOf(graph, {
    id: compositionId(consultation.id, 0),
    status: 'preliminary',
    date: consultation.updatedAt,
    content: consultation.content,
  });
}

function mapComposition(graph: ConsultationGraph, version: SignedVersion, count: number): Composition {
  const { consultation } = graph;
  const composition = compositionOf(graph, {
    id: compositionId(consultation.id, version.number),
    status: version.number === 1 ? 'final' : 'amended',
    date: version.at,
    content: version.content,
  });
  composition.attester = [
    { mode: 'legal', time: fhirInstant(version.at), party: referenceTo('Practitioner', version.by) },
  ];
  if (version.number > 1)
    composition.relatesTo = [
      {
        code: 'replaces',
        targetReference: referenceTo('Composition', compositionId(consultation.id, version.number - 1)),
      },
    ];
  if (version.number < count)
    composition.extension = [
      // Says, without a server's history, that a later version exists; R4 has no element for it.
      {
        url: 'urn:telemed:extension:replaced-by',
        valueReference: referenceTo('Composition', compositionId(consultation.id, version.number + 1)),
      },
    ];
  return composition;
}

interface CompositionVersion {
  id: string;
  status: Composition['status'];
  date: Date;
  content: ConsultationGraph['consultation']['content'];
}

function compositionOf(graph: ConsultationGraph, version: CompositionVersion): Composition {
  const { consultation, patient, specialist, clinicDoctor, hospital, clinic } = graph;
  const author = specialist ?? clinicDoctor;
  return {
    resourceType: 'Composition',
    id: version.id,
    identifier: businessIdentifier('composition', version.id),
    status: version.status,
    type: {
      coding: [{ system: fhirSystems.loinc, code: '11488-4', display: 'Consult note' }],
      text: 'Consult note',
    },
    subject: referenceTo('Patient', patient.id),
    encounter: referenceTo('Encounter', consultation.id),
    date: fhirInstant(version.date),
    author: [author ? referenceTo('Practitioner', author.id) : referenceTo('Organization', clinic.id)],
    title: 'Consultation note',
    custodian: referenceTo('Organization', (hospital ?? clinic).id),
    section: sections(graph, version.content),
  };
}

function sections(graph: ConsultationGraph, content: CompositionVersion['content']): CompositionSection[] {
  const { consultation } = graph;
  const result: CompositionSection[] = [];
  const narrative = (title: string, code: CodeableConcept, text: string | undefined, entry?: Reference[]) => {
    const trimmed = text?.trim();
    if (!trimmed && !entry?.length) return;
    result.push({
      title,
      code,
      ...(trimmed ? { text: { status: 'additional', div: xhtml(trimmed) } } : {}),
      ...(entry?.length ? { entry } : {}),
    });
  };
  narrative(
    'Reason for visit',
    loincSection('29299-5', 'Reason for visit Narrative'),
    content.reasonForVisit,
  );
  narrative('History', loincSection('10164-2', 'History of Present illness Narrative'), content.history);
  narrative(
    'Vital signs',
    loincSection('8716-3', 'Vital signs'),
    undefined,
    consultation.vitalSigns.map((vital) => referenceTo('Observation', vital.id)),
  );
  narrative('Findings', loincSection('29545-1', 'Physical findings Narrative'), content.findings);
  const diagnoses = content.diagnoses ?? [];
  narrative(
    'Diagnoses',
    loincSection('29548-5', 'Diagnosis Narrative'),
    diagnoses.map((d) => `${d.code} ${d.text}`).join('\n'),
    diagnoses.map((d) => referenceTo('Condition', conditionId(consultation.id, d.code))),
  );
  const followUp = content.followUpDate ? `Follow-up: ${content.followUpDate}` : '';
  narrative(
    'Plan',
    loincSection('18776-5', 'Plan of care note'),
    [content.plan?.trim(), followUp].filter(Boolean).join('\n'),
  );
  narrative('Recommendations', recommendationsSection, content.recommendations);
  if (content.referral)
    narrative(
      'Referral',
      loincSection('57133-1', 'Referral note'),
      [content.referral.specialty, content.referral.facility, content.referral.reason]
        .filter(Boolean)
        .join(' — '),
      [referenceTo('ServiceRequest', referralId(consultation.id))],
    );
  return result;
}

/** Narrative text as the XHTML div FHIR requires: escaped, line breaks kept. */
export function xhtml(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .split('\n')
    .join('<br/>');
  return `<div xmlns="http://www.w3.org/1999/xhtml">${escaped}</div>`;
}
