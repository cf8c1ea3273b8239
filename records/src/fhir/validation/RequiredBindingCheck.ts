import { getDataType, type InternalSchemaElement } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { FhirDefinitions } from './FhirDefinitions.js';

type Json = Record<string, unknown>;

/**
 * Medplum's `validateResource` checks structure, cardinality, fixed values and FHIRPath invariants, but not
 * terminology bindings: an Observation with status `bogus` or a Patient with gender `x` passes it. This walks
 * the resource beside its R4 definition and checks every element with a `required` binding whose value set
 * R4 enumerates (codes, Codings, CodeableConcepts); value sets it cannot list (UCUM, MIME types, languages)
 * are left alone.
 */
export class RequiredBindingCheck {
  readonly #definitions: FhirDefinitions;

  constructor(definitions: FhirDefinitions) {
    this.#definitions = definitions;
  }

  check(resource: Resource): OperationOutcomeIssue[] {
    const issues: OperationOutcomeIssue[] = [];
    this.#walk(resource as unknown as Json, resource.resourceType, resource.resourceType, issues);
    return issues;
  }

  #walk(value: Json, typeName: string, path: string, issues: OperationOutcomeIssue[]): void {
    let schema: ReturnType<typeof getDataType>;
    try {
      schema = getDataType(typeName);
    } catch {
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'resourceType' || key.startsWith('_') || child === undefined) continue;
      const found = elementFor(schema.elements, key);
      if (!found) continue;
      const items = Array.isArray(child) ? child : [child];
      items.forEach((item, index) => {
        const itemPath = Array.isArray(child) ? `${path}.${key}[${index}]` : `${path}.${key}`;
        const { element, type } = found;
        if (element.binding?.strength === 'required' && element.binding.valueSet)
          this.#checkBinding(item, type, element.binding.valueSet, itemPath, issues);
        if (item && typeof item === 'object' && type !== 'Resource')
          this.#walk(item as Json, type, itemPath, issues);
        if (type === 'Resource' && item && typeof item === 'object')
          this.#walk(item as Json, (item as Json).resourceType as string, itemPath, issues);
      });
    }
  }

  #checkBinding(
    item: unknown,
    type: string,
    valueSet: string,
    path: string,
    issues: OperationOutcomeIssue[],
  ) {
    const allowed = this.#definitions.expand(valueSet);
    if (!allowed) return;
    const systems = new Set([...allowed].map((entry) => entry.slice(0, entry.lastIndexOf('|'))));
    const fail = (what: string) =>
      issues.push({
        severity: 'error',
        code: 'code-invalid',
        details: { text: `${what} is not in the required value set ${valueSet}` },
        expression: [path],
      });
    if (type === 'code' && typeof item === 'string') {
      if (![...systems].some((system) => allowed.has(`${system}|${item}`))) fail(`Code '${item}'`);
      return;
    }
    const codings =
      type === 'Coding'
        ? [item as Json]
        : type === 'CodeableConcept'
          ? (((item as Json).coding as Json[]) ?? [])
          : [];
    if (type !== 'Coding' && type !== 'CodeableConcept') return;
    const bound = codings.filter((coding) => systems.has(coding.system as string));
    if (bound.length === 0) return fail(`No coding from ${[...systems].join(', ')}`);
    for (const coding of bound)
      if (!allowed.has(`${coding.system}|${coding.code}`)) fail(`Code '${coding.system}|${coding.code}'`);
  }
}

/** The element a JSON key stands for, with the type it has there (a choice `valueQuantity` is a Quantity). */
function elementFor(
  elements: Record<string, InternalSchemaElement>,
  key: string,
): { element: InternalSchemaElement; type: string } | undefined {
  const element = elements[key];
  if (element) return { element, type: element.type[0]?.code ?? '' };
  for (const [name, candidate] of Object.entries(elements)) {
    if (!name.endsWith('[x]')) continue;
    const prefix = name.slice(0, -3);
    if (!key.startsWith(prefix)) continue;
    const suffix = key.slice(prefix.length);
    const type = candidate.type.find((t) => t.code.toLowerCase() === suffix.toLowerCase());
    if (type) return { element: candidate, type: type.code };
  }
  return undefined;
}
