import type { Basic, Organization, Patient } from '@medplum/fhirtypes';
import type { Models } from '../../models/registerModels.js';
import type { BulkTypeSource } from '../bulk/BulkTypeSource.js';

const changedSince = (since: Date | undefined) => (since ? { updatedAt: { $gte: since } } : {});

/** Test sources (the real ones come from the mappers): minimal resources streamed from the real database. */
export function organizationSource(models: Models): BulkTypeSource {
  return {
    type: 'Organization',
    patientCompartment: false,
    estimate: (since) => models.Organization.countDocuments(changedSince(since)),
    async *stream(since, signal) {
      const cursor = models.Organization.find(changedSince(since)).sort({ _id: 1 }).lean().cursor();
      for await (const doc of cursor) {
        if (signal.aborted) break;
        yield {
          resourceType: 'Organization',
          id: doc._id.toHexString(),
          name: doc.name.en,
        } satisfies Organization;
      }
    },
  };
}

export function patientSource(models: Models): BulkTypeSource {
  return {
    type: 'Patient',
    patientCompartment: true,
    estimate: (since) => models.Patient.countDocuments(changedSince(since)),
    async *stream(since, signal) {
      const cursor = models.Patient.find(changedSince(since)).sort({ _id: 1 }).lean().cursor();
      for await (const doc of cursor) {
        if (signal.aborted) break;
        yield {
          resourceType: 'Patient',
          id: doc._id.toHexString(),
          identifier: [{ value: doc.mrn }],
        } satisfies Patient;
      }
    },
  };
}

/** `count` generated resources, `delayMs` apart: an export long enough to watch its progress and cancel it. */
export function slowSource(count: number, delayMs: number): BulkTypeSource {
  return {
    type: 'Basic',
    patientCompartment: false,
    estimate: async () => count,
    async *stream(_since, signal) {
      for (let i = 0; i < count && !signal.aborted; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        yield { resourceType: 'Basic', id: `b${i}`, code: { text: `item ${i}` } } satisfies Basic;
      }
    },
  };
}
