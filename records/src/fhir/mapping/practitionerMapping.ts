import type { Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { specialtyLabels } from '@telemed/shared';
import { referenceTo } from './fhirReferences.js';
import { businessIdentifier, fhirSystems } from './fhirSystems.js';
import type { UserRecord } from './mappingInputs.js';
import { translation } from './organizationMapping.js';
import { humanNames } from './patientMapping.js';

export function mapPractitioner(user: UserRecord): Practitioner {
  const telecom: Practitioner['telecom'] = [];
  if (user.phone) telecom.push({ system: 'phone', value: user.phone, use: 'work' });
  if (user.email) telecom.push({ system: 'email', value: user.email, use: 'work' });
  return {
    resourceType: 'Practitioner',
    id: user.id,
    identifier: [businessIdentifier('user', user.id)],
    active: user.active,
    name: humanNames(user.name),
    ...(telecom.length ? { telecom } : {}),
  };
}

/** The practitioner's place: a clinic doctor at a clinic, a specialist at a hospital with a specialty. */
export function mapPractitionerRole(user: UserRecord): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: practitionerRoleId(user),
    identifier: [businessIdentifier('practitioner-role', practitionerRoleId(user))],
    active: user.active,
    practitioner: referenceTo('Practitioner', user.id),
    organization: referenceTo('Organization', user.organizationId),
    code: [{ coding: [{ system: 'urn:telemed:role', code: user.role }], text: user.role }],
    ...(user.specialty ? { specialty: [specialtyConcept(user.specialty)] } : {}),
  };
}

/** One role per account (an account belongs to one organization), so the role's id derives from the user's. */
export function practitionerRoleId(user: Pick<UserRecord, 'id'>): string {
  return `${user.id}-role`;
}

export function specialtyConcept(specialty: string) {
  const label = specialtyLabels[specialty as keyof typeof specialtyLabels];
  if (!label) return { coding: [{ system: fhirSystems.specialty, code: specialty }], text: specialty };
  return {
    coding: [
      {
        system: fhirSystems.specialty,
        code: specialty,
        display: label.en,
        _display: { extension: [translation('ar', label.ar)] },
      },
    ],
    text: label.en,
  };
}
