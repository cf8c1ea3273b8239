import type { Organization } from '@medplum/fhirtypes';
import { businessIdentifier, fhirExtensions, fhirSystems } from './fhirSystems.js';
import type { OrganizationRecord } from './mappingInputs.js';

/**
 * A clinic (`type` prov, a healthcare provider) or a hospital (also `prov`; the name tells which). Our records
 * hold no parent for either — a clinic belongs to no hospital and hospitals to no group — so no `partOf` is
 * written; the data has nothing to put in it. The Arabic name is the name; the English one an alias.
 */
export function mapOrganization(org: OrganizationRecord): Organization {
  return {
    resourceType: 'Organization',
    id: org.id,
    identifier: [businessIdentifier('organization', org.id)],
    active: org.active,
    type: [
      {
        coding: [{ system: fhirSystems.organizationType, code: 'prov', display: 'Healthcare Provider' }],
        text: org.kind,
      },
    ],
    name: org.name.ar,
    _name: { extension: [translation('en', org.name.en)] },
    alias: [org.name.en],
    ...(org.phone ? { telecom: [{ system: 'phone', value: org.phone, use: 'work' }] } : {}),
    address: [
      {
        use: 'work',
        ...(org.address ? { line: [org.address] } : {}),
        district: org.district,
        state: org.governorate,
        country: 'EG',
      },
    ],
  } as Organization;
}

/** The R4 `translation` extension: the same string in another language. */
export function translation(language: string, content: string) {
  return {
    url: fhirExtensions.translation,
    extension: [
      { url: 'lang', valueCode: language },
      { url: 'content', valueString: content },
    ],
  };
}
