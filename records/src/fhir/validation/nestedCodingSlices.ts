import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

/**
 * Rewrites a profile's slices that discriminate on a nested coding (`component` sliced by `code.coding.code` and
 * `code.coding.system`, each slice fixing them in a slice of its own `code.coding`, as the R4 `bp` profile
 * does) into the equivalent pattern: the slice's `code` must hold a coding with that system and code. Medplum
 * 4.5 cannot match the nested form and rejects every correct blood pressure; the pattern it matches. The
 * meaning is the same — a coding with this system and code is required — so nothing is loosened.
 */
export function withNestedCodingSlicesAsPatterns(profile: StructureDefinition): StructureDefinition {
  const elements = profile.snapshot?.element ?? [];
  const rewritten = new Map<string, ElementDefinition>();
  const dropped = new Set<string>();
  for (const sliced of elements) {
    const discriminators = sliced.slicing?.discriminator ?? [];
    const paths = discriminators.map((d) => (d.type === 'value' ? d.path : ''));
    const conceptPath = paths[0]?.match(/^(.+)\.coding\.(code|system)$/)?.[1];
    if (
      !conceptPath ||
      !paths.every((path) => path === `${conceptPath}.coding.code` || path === `${conceptPath}.coding.system`)
    )
      continue;
    rewritten.set(sliced.id!, {
      ...sliced,
      slicing: { ...sliced.slicing!, discriminator: [{ type: 'pattern', path: conceptPath }] },
    });
    for (const slice of elements.filter(
      (e) => e.id?.startsWith(`${sliced.id}:`) && !e.id.slice(sliced.id!.length + 1).includes('.'),
    )) {
      const concept = `${slice.id}.${conceptPath}`;
      const nested = (leaf: string) =>
        elements.find((e) =>
          new RegExp(`^${escapeRegExp(`${concept}.coding:`)}[^.]+\\.${leaf}$`).test(e.id ?? ''),
        );
      const system = nested('system')?.fixedUri;
      const code = nested('code')?.fixedCode;
      if (!system || !code) continue;
      const conceptElement = elements.find((e) => e.id === concept);
      if (conceptElement)
        rewritten.set(concept, { ...conceptElement, patternCodeableConcept: { coding: [{ system, code }] } });
      const coding = elements.find((e) => e.id === `${concept}.coding`);
      if (coding) {
        const { slicing: _nestedSlicing, ...unsliced } = coding;
        rewritten.set(coding.id!, unsliced);
      }
      for (const e of elements) if (e.id?.startsWith(`${concept}.coding:`)) dropped.add(e.id);
    }
  }
  if (rewritten.size === 0) return profile;
  return {
    ...profile,
    snapshot: {
      ...profile.snapshot,
      element: elements.filter((e) => !dropped.has(e.id!)).map((e) => rewritten.get(e.id!) ?? e),
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
