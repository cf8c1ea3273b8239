import type { ResourceType } from '@medplum/fhirtypes';

/**
 * What the read API serves, as data: the CapabilityStatement is written from this table and the routes and the
 * service answer from it, so the statement cannot promise what the server does not do (a test follows it).
 */
export type SearchParamType = 'token' | 'string' | 'reference' | 'date';

export interface SearchParamDefinition {
  name: string;
  type: SearchParamType;
  documentation: string;
}

export interface ReadableType {
  type: ResourceType;
  /** Read from one consultation's record (its id names the consultation, or an entry in it). */
  fromConsultation: boolean;
  search: readonly SearchParamDefinition[];
  /** `$everything` on an instance of this type. */
  everything?: boolean;
}

const patientParam: SearchParamDefinition = {
  name: 'patient',
  type: 'reference',
  documentation: 'Required: `Patient/<id>` or `<id>`; the search runs over that patient’s consultations.',
};
const dateParam = (what: string): SearchParamDefinition => ({
  name: 'date',
  type: 'date',
  documentation: `${what}; prefixes eq (default), ge, le, gt, lt; repeat it for a range.`,
});

export const readableTypes: readonly ReadableType[] = [
  {
    type: 'Patient',
    fromConsultation: false,
    everything: true,
    search: [
      {
        name: 'identifier',
        type: 'token',
        documentation:
          '`<system>|<value>`: the MRN (`urn:telemed:clinic:<clinicId>:mrn`), the national ID ' +
          '(`urn:telemed:eg:national-id`) or our id (`urn:telemed:id:patient`); a value alone is a national ID ' +
          '(14 digits) or an MRN of the caller’s clinic.',
      },
      {
        name: 'name',
        type: 'string',
        documentation: 'Words that each start a word of the Arabic or the Latin name.',
      },
    ],
  },
  { type: 'Practitioner', fromConsultation: false, search: [] },
  { type: 'PractitionerRole', fromConsultation: false, search: [] },
  { type: 'Organization', fromConsultation: false, search: [] },
  { type: 'AuditEvent', fromConsultation: false, search: [] },
  { type: 'Appointment', fromConsultation: false, search: [] },
  {
    type: 'Encounter',
    fromConsultation: true,
    everything: true,
    search: [patientParam, dateParam('The start of the encounter (`period.start`)')],
  },
  {
    type: 'Observation',
    fromConsultation: true,
    search: [
      patientParam,
      {
        name: 'category',
        type: 'token',
        documentation: '`[system|]code`, e.g. `vital-signs`.',
      },
      { name: 'code', type: 'token', documentation: '`[system|]code`, e.g. `http://loinc.org|8867-4`.' },
      dateParam('When the vital sign was taken (`effectiveDateTime`)'),
    ],
  },
  { type: 'Condition', fromConsultation: true, search: [patientParam] },
  { type: 'DocumentReference', fromConsultation: true, search: [patientParam] },
  { type: 'Composition', fromConsultation: true, search: [] },
  { type: 'Provenance', fromConsultation: true, search: [] },
  { type: 'ServiceRequest', fromConsultation: true, search: [] },
  { type: 'Communication', fromConsultation: true, search: [] },
];

/** The paging parameters every search and `$everything` takes. */
export const pagingParams: readonly SearchParamDefinition[] = [
  {
    name: '_count',
    type: 'token' as SearchParamType,
    documentation: 'Page size: 20 by default, at most 100.',
  },
  {
    name: '_offset',
    type: 'token' as SearchParamType,
    documentation: 'Where the page starts (the next link sets it).',
  },
];

export const defaultPageSize = 20;
export const maxPageSize = 100;

export function readableType(type: string): ReadableType | undefined {
  return readableTypes.find((t) => t.type === type);
}
