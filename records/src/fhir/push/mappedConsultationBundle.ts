import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { ConsultationGraphLoader } from '../load/ConsultationGraphLoader.js';
import { consultationResources } from '../mapping/consultationResources.js';
import { consultationTransactionBundle } from '../mapping/consultationTransactionBundle.js';
import type { FhirMappingContext } from '../mapping/fhirSystems.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import type { ConsultationBundleBuilder } from './ConsultationBundleBuilder.js';
import { InvalidBundleError } from './InvalidBundleError.js';

/**
 * The push's bundle: every resource of the consultation as the signature or amendment leaves it (the
 * organizations and people it names, the patient, appointment, encounter, vital signs, diagnoses, each signed
 * version of the note with its Provenance, the referral, attachments, chat), mapped from its graph and checked
 * with `validateFhir` before it is queued. The graph is read from the document the service is about to write,
 * not from the store, which still holds the state before the change.
 *
 * `mapping` is asked at each build: the records base URL of the attachments' links is known only once the
 * service listens, unless FHIR_PUBLIC_URL names it.
 */
export function mappedConsultationBundle(
  loader: ConsultationGraphLoader,
  mapping: () => FhirMappingContext,
): ConsultationBundleBuilder {
  return async (consultation) => {
    const graph = await loader.graphOf(consultation);
    const resources = consultationResources(graph, mapping());
    const issues = resources.flatMap(errorsOf);
    if (issues.length > 0) throw new InvalidBundleError({ resourceType: 'OperationOutcome', issue: issues });
    return consultationTransactionBundle(resources);
  };
}

/** A resource's validation errors, each naming the resource and element it is about (`Patient/<id> (Patient.birthDate): …`). */
function errorsOf(resource: Resource): OperationOutcomeIssue[] {
  const name = `${resource.resourceType}/${resource.id}`;
  return fhirValidationErrors(resource).map((issue) => {
    const where = issue.expression?.length ? ` (${issue.expression.join(', ')})` : '';
    const what = issue.details?.text ?? issue.diagnostics ?? issue.code;
    return { ...issue, details: { ...issue.details, text: `${name}${where}: ${what}` } };
  });
}
