import type { Resource, ResourceType } from '@medplum/fhirtypes';

/**
 * Where the resources of one FHIR type come from in a Bulk Data export. `stream` reads from a database cursor
 * and yields one resource at a time, so an export's memory stays flat however many records there are; it
 * stops when `signal` aborts (a cancelled export). `estimate` is the count the progress is measured against,
 * cheap (an indexed count), and need not be exact.
 */
export interface BulkTypeSource {
  readonly type: ResourceType;
  /** In the Patient compartment: part of a `Patient/$export`, not only of `$export`. */
  readonly patientCompartment: boolean;
  estimate(since: Date | undefined): Promise<number>;
  stream(since: Date | undefined, signal: AbortSignal): AsyncIterable<Resource>;
}
