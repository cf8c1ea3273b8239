import type {
  ElementDefinition,
  Observation,
  OperationOutcomeIssue,
  Quantity,
  Resource,
  StructureDefinition,
} from '@medplum/fhirtypes';
import type { FhirDefinitions } from './FhirDefinitions.js';

interface QuantityRule {
  /** Where the quantity sits: the Observation's value, or the component with this LOINC code. */
  componentCode?: string | undefined;
  system?: string | undefined;
  /** UCUM codes allowed; undefined when the profile does not restrict them. */
  codes?: ReadonlySet<string> | undefined;
  valueSet?: string | undefined;
}

interface ProfileRules {
  /** Types allowed for `value[x]` when the profile closes its type slicing (the vital-signs ones: Quantity). */
  valueTypes?: string[] | undefined;
  quantities: QuantityRule[];
}

/**
 * What Medplum's validator misses in the vital-signs profiles, read from the profiles themselves: they
 * constrain the value through a type slice (`Observation.value[x]:valueQuantity`), whose fixed UCUM code
 * (`/min`) or required unit binding (`ucum-bodytemp`) Medplum does not apply, so a heart rate in `bpm`, a
 * temperature in `K` or a value that is a string passed it. These rules check the unit's system and code, for
 * the value and for each component slice (the blood pressure's), and the value's type.
 */
export class ProfileQuantityCheck {
  readonly #definitions: FhirDefinitions;
  readonly #rules = new Map<string, ProfileRules>();

  constructor(definitions: FhirDefinitions) {
    this.#definitions = definitions;
  }

  check(resource: Resource, profile: StructureDefinition): OperationOutcomeIssue[] {
    if (resource.resourceType !== 'Observation' || profile.type !== 'Observation') return [];
    const rules = this.#rulesOf(profile);
    const observation = resource as Observation;
    const issues: OperationOutcomeIssue[] = [];
    const error = (text: string, expression: string) =>
      issues.push({
        severity: 'error',
        code: 'invariant',
        details: { text: `${text} (profile ${profile.url})` },
        expression: [expression],
      });
    if (rules.valueTypes) {
      for (const key of Object.keys(observation))
        if (key.startsWith('value') && !rules.valueTypes.some((type) => key === `value${type}`))
          error(`value[x] must be one of ${rules.valueTypes.join(', ')}, not ${key}`, `Observation.${key}`);
    }
    for (const rule of rules.quantities) {
      const targets: [Quantity | undefined, string][] = rule.componentCode
        ? (observation.component ?? [])
            .map((component, index) => [component, index] as const)
            .filter(([component]) => component.code.coding?.some((c) => c.code === rule.componentCode))
            .map(([component, index]) => [
              component.valueQuantity,
              `Observation.component[${index}].valueQuantity`,
            ])
        : [[observation.valueQuantity, 'Observation.valueQuantity']];
      for (const [quantity, path] of targets) {
        if (!quantity) continue;
        if (rule.system && quantity.system !== rule.system)
          error(
            `The unit's system must be ${rule.system}, not ${quantity.system ?? 'absent'}`,
            `${path}.system`,
          );
        if (rule.codes && !(quantity.code && rule.codes.has(quantity.code)))
          error(
            `The unit must be ${[...rule.codes].join(' or ')}${rule.valueSet ? ` (${rule.valueSet})` : ''}, not ${quantity.code ?? 'absent'}`,
            `${path}.code`,
          );
      }
    }
    return issues;
  }

  #rulesOf(profile: StructureDefinition): ProfileRules {
    let rules = this.#rules.get(profile.url);
    if (!rules) {
      rules = this.#readRules(profile);
      this.#rules.set(profile.url, rules);
    }
    return rules;
  }

  #readRules(profile: StructureDefinition): ProfileRules {
    const elements = profile.snapshot?.element ?? [];
    const byId = new Map(elements.map((element) => [element.id ?? element.path, element]));
    const quantities: QuantityRule[] = [];
    const value = byId.get('Observation.value[x]');
    const closed =
      value?.slicing?.rules === 'closed' && value.slicing.discriminator?.some((d) => d.type === 'type');
    const valueTypes = closed
      ? elements
          .filter(
            (e) => e.id?.startsWith('Observation.value[x]:') && e.id.split('.').length === 2 && e.max !== '0',
          )
          .flatMap((e) => e.type?.map((t) => capitalize(t.code)) ?? [])
      : undefined;
    const topCode = byId.get('Observation.value[x]:valueQuantity.code');
    if (topCode)
      quantities.push({
        system: byId.get('Observation.value[x]:valueQuantity.system')?.fixedUri,
        ...this.#allowedCodes(topCode),
      });
    for (const element of elements) {
      const match = /^Observation\.component:([^.]+)\.value\[x\]\.code$/.exec(element.id ?? '');
      if (!match) continue;
      const slice = match[1]!;
      const componentCode = elements.find((e) =>
        new RegExp(`^Observation\\.component:${slice}\\.code\\.coding:[^.]+\\.code$`).test(e.id ?? ''),
      )?.fixedCode;
      quantities.push({
        componentCode,
        system: byId.get(`Observation.component:${slice}.value[x].system`)?.fixedUri,
        ...this.#allowedCodes(element),
      });
    }
    return { valueTypes: valueTypes?.length ? valueTypes : undefined, quantities };
  }

  #allowedCodes(element: ElementDefinition): Pick<QuantityRule, 'codes' | 'valueSet'> {
    if (element.fixedCode) return { codes: new Set([element.fixedCode]) };
    const binding = element.binding;
    if (binding?.strength !== 'required' || !binding.valueSet) return {};
    const expanded = this.#definitions.expand(binding.valueSet);
    if (!expanded) return {};
    return {
      codes: new Set([...expanded].map((entry) => entry.slice(entry.lastIndexOf('|') + 1))),
      valueSet: binding.valueSet,
    };
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
