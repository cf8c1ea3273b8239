import type { ExtractResource, Reference, ResourceType } from '@medplum/fhirtypes';

/** A literal reference `Type/id` to one of our records; the transaction bundle rewrites it to the entry's urn:uuid. */
export function referenceTo<T extends ResourceType>(
  type: T,
  id: string,
  display?: string,
): Reference<ExtractResource<T>> {
  return display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };
}

/** Our dates as FHIR instants/dateTimes (UTC, with milliseconds, as `Date.toISOString` writes them). */
export function fhirInstant(at: Date | string): string {
  return (at instanceof Date ? at : new Date(at)).toISOString();
}
