import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { pagingParams, readableTypes } from '../read/fhirReadTypes.js';

/** The SMART capabilities this server supports: Backend Services (client_credentials + private_key_jwt). */
export const smartCapabilities = ['client-confidential-asymmetric', 'permission-v2'] as const;

export interface CapabilityInputs {
  baseUrl: string;
  /** The types a Bulk Data export writes at each level: those whose source is registered. */
  bulk: { system: readonly string[]; patient: readonly string[] };
}

/**
 * What `/fhir` answers, written from the same tables the routes and the service use (`readableTypes`, the bulk
 * sources): it cannot promise an interaction that is not there. A test reads it back and calls each route.
 */
export function capabilityStatement({ baseUrl, bulk }: CapabilityInputs): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = readableTypes.map((readable) => ({
    type: readable.type,
    interaction: [
      { code: 'read' },
      ...(readable.search.length > 0 ? [{ code: 'search-type' as const }] : []),
    ],
    ...(readable.search.length > 0
      ? {
          searchParam: [...readable.search, ...pagingParams].map((param) => ({
            name: param.name,
            type: param.type === 'reference' ? ('reference' as const) : param.type,
            documentation: param.documentation,
          })),
        }
      : {}),
    ...(readable.everything || (readable.type === 'Patient' && bulk.patient.length > 0)
      ? {
          operation: [
            ...(readable.everything
              ? [
                  {
                    name: 'everything',
                    definition: `http://hl7.org/fhir/OperationDefinition/${readable.type}-everything`,
                  },
                ]
              : []),
            ...(readable.type === 'Patient' && bulk.patient.length > 0
              ? [
                  {
                    name: 'export',
                    definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
                  },
                ]
              : []),
          ],
        }
      : {}),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-07',
    kind: 'instance',
    software: { name: 'Telemedicine records service' },
    implementation: { description: 'Telemedicine records service, FHIR R4 API', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description:
            'A Bearer access token: a user’s (as for /api) or a system client’s from POST /auth/token ' +
            '(SMART Backend Services, client_credentials with a private_key_jwt assertion, scopes system/<Type>.read).',
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: `${baseUrl}/auth/token` }],
            },
            ...smartCapabilities.map((code) => ({
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/capabilities',
              valueCode: code,
            })),
          ],
        },
        resource,
        ...(bulk.system.length > 0
          ? {
              operation: [
                { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
              ],
            }
          : {}),
      },
    ],
  };
}
