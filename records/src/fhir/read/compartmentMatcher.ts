import type { Coding, Encounter, Observation, Resource } from '@medplum/fhirtypes';
import {
  type DateCriterion,
  dateMatches,
  parseDateCriterion,
  parsePatientReference,
  parseToken,
  type TokenCriterion,
} from './fhirSearchParams.js';

export interface CompartmentMatcher {
  patientId: string;
  test(resource: Resource): boolean;
}

/**
 * The criteria of a search within one patient's record, checked on the mapped resources: the patient's
 * consultations were found by index, and a patient's record is small enough to filter whole. Bad values are
 * refused (400) here, before anything is read.
 */
export function compartmentMatcher(type: string, values: Map<string, string[]>): CompartmentMatcher {
  const patientId = parsePatientReference(values.get('patient')?.[0] ?? '');
  const dates = (values.get('date') ?? []).map((raw) => parseDateCriterion('date', raw));
  const categories = (values.get('category') ?? []).map((raw) => parseToken('category', raw));
  const codes = (values.get('code') ?? []).map((raw) => parseToken('code', raw));
  return {
    patientId,
    test(resource) {
      if (dates.length > 0 && !dates.every((d) => matchesDate(d, dateOf(type, resource)))) return false;
      if (resource.resourceType === 'Observation') {
        const observation = resource as Observation;
        const categoryCodings = (observation.category ?? []).flatMap((c) => c.coding ?? []);
        if (!categories.every((token) => categoryCodings.some((coding) => tokenMatches(token, coding))))
          return false;
        if (
          !codes.every((token) =>
            (observation.code.coding ?? []).some((coding) => tokenMatches(token, coding)),
          )
        )
          return false;
      }
      return true;
    },
  };
}

function dateOf(type: string, resource: Resource): number | undefined {
  if (type === 'Encounter') {
    const start = (resource as Encounter).period?.start;
    return start ? Date.parse(start) : undefined;
  }
  if (type === 'Observation') {
    const at = (resource as Observation).effectiveDateTime;
    return at ? Date.parse(at) : undefined;
  }
  return undefined;
}

function matchesDate(criterion: DateCriterion, at: number | undefined): boolean {
  return dateMatches(criterion, at);
}

function tokenMatches(token: TokenCriterion, coding: Coding): boolean {
  return coding.code === token.code && (token.system === undefined || coding.system === token.system);
}
