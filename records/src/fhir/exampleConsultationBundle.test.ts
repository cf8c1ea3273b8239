import { readFileSync, writeFileSync } from 'node:fs';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { consultationResources } from './mapping/consultationResources.js';
import { consultationTransactionBundle } from './mapping/consultationTransactionBundle.js';
import { demoConsultationGraph } from './testing/demoConsultationGraph.js';
import { validatingSuite } from './testing/fhirTestOptions.js';
import { fhirValidationErrors } from './validation/validateFhir.js';

const file = new URL('./example-consultation-bundle.json', import.meta.url);

/**
 * The README's example is the mappers' output for the demo fixture. `UPDATE_FHIR_EXAMPLE=1` rewrites it (then
 * `npx biome format --write` it); the comparison is of the JSON, not the layout.
 */
describe('example-consultation-bundle.json', validatingSuite, () => {
  const generated = consultationTransactionBundle(
    consultationResources(demoConsultationGraph(), { recordsBaseUrl: 'https://records.example.org' }),
  );

  it('is what the mappers give for the demo consultation', () => {
    if (process.env.UPDATE_FHIR_EXAMPLE === '1')
      writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('is a valid transaction Bundle, every entry with 0 errors', () => {
    const committed = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    expect(committed.type).toBe('transaction');
    expect(fhirValidationErrors(committed)).toEqual([]);
  });
});
