import type { Icd10Catalog } from '../../../icd10/Icd10Catalog.js';
import type { Models } from '../../../models/registerModels.js';
import type { FhirMappingContext } from '../../mapping/fhirSystems.js';
import type { BulkTypeSource } from '../BulkTypeSource.js';
import { ConsultationGraphBatches } from './ConsultationGraphBatches.js';
import { consultationSources } from './consultationSources.js';
import { recordSources } from './recordSources.js';

/** Every type the mappers make, each with its source in the records store: what production exports. */
export function recordsBulkSources(
  models: Models,
  icd10: Icd10Catalog,
  mapping: FhirMappingContext,
): BulkTypeSource[] {
  return [
    ...recordSources(models),
    ...consultationSources(models, new ConsultationGraphBatches(models, icd10), mapping),
  ];
}
