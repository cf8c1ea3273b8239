import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { FhirDefinitions } from './FhirDefinitions.js';
import { ProfileQuantityCheck } from './ProfileQuantityCheck.js';
import { RequiredBindingCheck } from './RequiredBindingCheck.js';

let checks:
  | { definitions: FhirDefinitions; bindings: RequiredBindingCheck; quantities: ProfileQuantityCheck }
  | undefined;

function loadChecks() {
  if (!checks) {
    const definitions = FhirDefinitions.get();
    checks = {
      definitions,
      bindings: new RequiredBindingCheck(definitions),
      quantities: new ProfileQuantityCheck(definitions),
    };
  }
  return checks;
}

/**
 * Validates a resource against R4 and against every profile its `meta.profile` names, and answers all the
 * issues found (errors and warnings); it never throws. Medplum's `validateResource` does the structure,
 * cardinalities, fixed values, slices and invariants; our own checks add what it leaves out: required
 * terminology bindings, and the vital-signs profiles' units and value type. A profile we do not hold is an
 * error, not a silent pass. For a Bundle, each entry's resource is validated too (with its own profiles).
 */
export function validateFhir(resource: Resource): OperationOutcomeIssue[] {
  const { definitions, bindings, quantities } = loadChecks();
  const issues: OperationOutcomeIssue[] = [...medplumIssues(resource), ...bindings.check(resource)];
  for (const url of resource.meta?.profile ?? []) {
    const profile = definitions.profile(url);
    if (!profile) {
      issues.push({
        severity: 'error',
        code: 'not-supported',
        details: { text: `Profile ${url} is not one the validator holds` },
        expression: [`${resource.resourceType}.meta.profile`],
      });
      continue;
    }
    issues.push(
      ...medplumIssues(resource, profile.forMedplum),
      ...quantities.check(resource, profile.original),
    );
  }
  if (resource.resourceType === 'Bundle')
    (resource.entry ?? []).forEach((entry, index) => {
      if (!entry.resource) return;
      for (const issue of validateFhir(entry.resource))
        issues.push({
          ...issue,
          expression: (issue.expression ?? []).map((e) => `Bundle.entry[${index}].resource/${e}`),
        });
    });
  return issues;
}

/** Only the issues that make a resource invalid (errors and fatals); 0 is the rule for what we export. */
export function fhirValidationErrors(resource: Resource): OperationOutcomeIssue[] {
  return validateFhir(resource).filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}

function medplumIssues(resource: Resource, profile?: StructureDefinition): OperationOutcomeIssue[] {
  try {
    return validateResource(resource, profile ? { profile } : undefined);
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue ?? [];
    throw error;
  }
}
