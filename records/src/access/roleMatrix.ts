import type { Role } from '@telemed/shared';
import { consultationClinicalTypes } from '../fhir/testing/consultationResourceTypes.js';

/**
 * Who may call which records route, as data: the role-matrix test (`roleMatrix.test.ts`) runs every cell
 * against the real app, and the README's access table is generated from it (`npm run docs:access -w records`).
 * A route the app registers without a row here fails that test.
 *
 * Tenants: "own" is a record of the caller's tenant (their clinic's patient, an appointment or consultation
 * they are booked on); "other" is another clinic's record that does not involve them. Administrators serve
 * every clinic; auditors see the audit trail only.
 *
 * Identities, the same for every authenticated route: no token, a malformed token, an expired one, an unsigned
 * one (`alg: none`) answer 401 and are audited (rate-limited); a deactivated account answers 403
 * ACCOUNT_INACTIVE, audited. A token whose account changed role since it was issued acts with the account's
 * CURRENT role: records reads the role from the account on every request, so a demotion takes effect at once,
 * and the cell is the new role's answer.
 *
 * Every refusal (401, 403) writes an audit event: the test checks it for each refused cell.
 */
export type MatrixRole = Role;

/** Expected HTTP status: [own tenant, other tenant]. */
export type TenantCell = readonly [own: number, other: number];

export interface MatrixRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** As registered in express, under `/api`. */
  path: string;
  /** What it is for, as the README says. */
  what: string;
  roles: Readonly<Record<MatrixRole, TenantCell>>;
}

/** Routes with no access token: sign-in and the token's refresh and end. */
export interface PublicRoute {
  method: 'GET' | 'POST';
  path: string;
  what: string;
}

export const matrixRoles: readonly MatrixRole[] = ['clinic_doctor', 'specialist', 'administrator', 'auditor'];

/** The identities every authenticated route is also called with, and their expected answer. */
export const matrixIdentities = {
  'no token': 401,
  'malformed token': 401,
  'expired token': 401,
  'alg: none': 401,
  'deactivated account': 403,
  /** A system client's token (SMART Backend Services) is for /fhir: refused on every /api route, audited. */
  'system client token': 403,
  /** A clinic doctor's token whose account is now an administrator's: the administrator's "own" cell. */
  'role changed': 'current role',
} as const;

const all = (own: number, other = own): Readonly<Record<MatrixRole, TenantCell>> => ({
  clinic_doctor: [own, other],
  specialist: [own, other],
  administrator: [own, other],
  auditor: [own, other],
});
const only = (
  cells: Partial<Record<MatrixRole, TenantCell>>,
  refused = 403,
): Readonly<Record<MatrixRole, TenantCell>> => ({ ...all(refused), ...cells });

export const publicRoutes: readonly PublicRoute[] = [
  { method: 'POST', path: '/api/auth/login', what: 'sign-in (failures audited; lock-out after repeats)' },
  { method: 'POST', path: '/api/auth/refresh', what: 'a new access token from the refresh cookie' },
  { method: 'POST', path: '/api/auth/logout', what: 'ends the sign-in' },
  { method: 'GET', path: '/.well-known/jwks.json', what: 'the public key of access tokens' },
  {
    method: 'GET',
    path: '/fhir/metadata',
    what: 'the FHIR CapabilityStatement (what the FHIR API serves, and its SMART token endpoint)',
  },
  {
    method: 'POST',
    path: '/auth/token',
    what: 'SMART Backend Services token for a system client (signed JWT assertion; RFC 6749 errors, audited)',
  },
];

/**
 * The FHIR Bulk Data routes: a system client's token with a covering scope only, its own jobs only. Every
 * user role answers 403 (an OperationOutcome, audited); `bulkExport.test.ts` runs each refusal.
 */
export interface SystemClientRoute {
  method: 'GET' | 'DELETE';
  path: string;
  what: string;
}

export const systemClientRoutes: readonly SystemClientRoute[] = [
  { method: 'GET', path: '/fhir/$export', what: 'Bulk Data kick-off (system clients with system/*.read)' },
  { method: 'GET', path: '/fhir/Patient/$export', what: 'Bulk Data kick-off, Patient compartment' },
  { method: 'GET', path: '/fhir/bulk/:jobId', what: "an export's status (X-Progress) or manifest" },
  { method: 'GET', path: '/fhir/bulk/:jobId/:file', what: "an export's NDJSON file" },
  { method: 'DELETE', path: '/fhir/bulk/:jobId', what: 'cancels an export, deletes its files' },
];

/**
 * The FHIR read API's routes, generic over the resource type; who may read which type is `fhirReadMatrix`. A
 * refusal is an OperationOutcome (403), audited; identities answer as on /api, except that a system client's
 * token is what these routes are also for (its `system/<Type>.read` scopes decide).
 */
export const fhirReadRoutes: readonly SystemClientRoute[] = [
  { method: 'GET', path: '/fhir/:type', what: 'FHIR search: a searchset Bundle, paged' },
  { method: 'GET', path: '/fhir/:type/:id', what: 'FHIR read of one resource' },
  {
    method: 'GET',
    path: '/fhir/:type/:id/$everything',
    what: "FHIR $everything: a Patient's or an Encounter's record",
  },
];

/** One row of the FHIR read API's access: an interaction on some types, the answer of each role. */
export interface FhirReadMatrixRow {
  interaction: 'read' | 'search' | 'everything';
  types: readonly string[];
  /** "own": the patient of the caller's clinic, or one the specialist is booked with; "other": neither. */
  roles: Readonly<Record<MatrixRole, TenantCell>>;
}

const clinical = only({ clinic_doctor: [200, 403], specialist: [200, 403] });

/** The records API's rules through `AccessPolicy`, per FHIR type; `fhirReadMatrix.test.ts` runs every cell. */
export const fhirReadMatrix: readonly FhirReadMatrixRow[] = [
  {
    interaction: 'read',
    types: ['Patient'],
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403], administrator: [200, 200] }),
  },
  // A clinic doctor's search is laid over their clinic: another clinic's patient is not found (an empty page).
  {
    interaction: 'search',
    types: ['Patient'],
    roles: only({ clinic_doctor: [200, 200], administrator: [200, 200] }),
  },
  { interaction: 'everything', types: ['Patient', 'Encounter'], roles: clinical },
  { interaction: 'read', types: ['Appointment'], roles: only({ ...clinical, administrator: [200, 200] }) },
  { interaction: 'read', types: consultationClinicalTypes, roles: clinical },
  {
    interaction: 'search',
    types: ['Encounter', 'Observation', 'Condition', 'DocumentReference'],
    roles: clinical,
  },
  {
    interaction: 'read',
    types: ['Practitioner', 'PractitionerRole', 'Organization'],
    roles: only({ clinic_doctor: [200, 200], specialist: [200, 200], administrator: [200, 200] }),
  },
  {
    interaction: 'read',
    types: ['AuditEvent'],
    roles: only({ administrator: [200, 200], auditor: [200, 200] }),
  },
];

export const roleMatrix: readonly MatrixRoute[] = [
  { method: 'GET', path: '/api/auth/me', what: 'the signed-in account', roles: all(200) },
  {
    method: 'GET',
    path: '/api/system-clients',
    what: 'system clients (SMART Backend Services)',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/system-clients',
    what: 'registers a system client: public key and scopes (audited)',
    roles: only({ administrator: [201, 201] }),
  },
  {
    method: 'POST',
    path: '/api/system-clients/:id/deactivate',
    what: 'deactivates a system client (audited)',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    what: 'password change (a wrong current password: 401, audited)',
    roles: all(401),
  },
  {
    method: 'GET',
    path: '/api/organizations',
    what: 'clinics and hospitals, a page at a time (kind, governorate, active, name search)',
    roles: all(200),
  },
  { method: 'GET', path: '/api/organizations/:id', what: 'one organization', roles: all(200) },
  {
    method: 'POST',
    path: '/api/organizations',
    what: 'a new clinic or hospital',
    roles: only({ administrator: [201, 201] }),
  },
  {
    method: 'PATCH',
    path: '/api/organizations/:id',
    what: 'an organization changed',
    roles: only({ administrator: [200, 200] }),
  },
  { method: 'GET', path: '/api/users', what: 'accounts', roles: only({ administrator: [200, 200] }) },
  { method: 'POST', path: '/api/users', what: 'a new account', roles: only({ administrator: [201, 201] }) },
  {
    method: 'PATCH',
    path: '/api/users/:id',
    what: 'an account changed, (de)activated, its password reset',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/specialists',
    what: 'the specialist directory',
    roles: only({ clinic_doctor: [200, 200], specialist: [200, 200], administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/specialists/:id/availability',
    what: 'weekly hours and leave',
    roles: only({ clinic_doctor: [200, 200], specialist: [200, 200], administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/specialists/:id/busy',
    what: "when a specialist is booked, any clinic's bookings: times only, no patient (a month at most)",
    roles: only({ clinic_doctor: [200, 200], administrator: [200, 200] }),
  },
  {
    method: 'PUT',
    path: '/api/specialists/:id/availability',
    what: 'weekly hours and leave set',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/patients',
    what: 'patient search (a clinic doctor: their clinic only; an administrator: demographics)',
    roles: only({ clinic_doctor: [200, 200], administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/patients',
    what: 'patient registration',
    roles: only({ clinic_doctor: [201, 201] }),
  },
  {
    method: 'GET',
    path: '/api/patients/:id',
    what: 'a patient’s record (an administrator: demographics only; a specialist: patients booked with them)',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403], administrator: [200, 200] }),
  },
  {
    method: 'PATCH',
    path: '/api/patients/:id',
    what: 'a patient’s record changed',
    roles: only({ clinic_doctor: [200, 403] }),
  },
  {
    method: 'POST',
    path: '/api/appointments',
    what: 'booking, with availability and double-booking checks',
    roles: only({ clinic_doctor: [201, 403], administrator: [201, 201] }),
  },
  {
    method: 'GET',
    path: '/api/appointments',
    what: 'schedules (a clinic doctor: their clinic’s; a specialist: their own)',
    roles: only({ clinic_doctor: [200, 200], specialist: [200, 200], administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/appointments/:id',
    what: 'one appointment',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403], administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/appointments/:id/status',
    what: 'the status lifecycle (here: to waiting, which the clinic and administrators set)',
    roles: only({ clinic_doctor: [200, 403], administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/appointments/:id/invitations',
    what: 'the booked specialist invites another specialist into the call (who then reads it and chats)',
    roles: only({ specialist: [201, 403] }),
  },
  {
    method: 'DELETE',
    path: '/api/appointments/:id/invitations/:specialistId',
    what: 'the booked specialist withdraws an invitation into the call',
    roles: only({ specialist: [200, 403] }),
  },
  {
    method: 'POST',
    path: '/api/appointments/:id/call-events',
    what: 'a join, admit, leave or end of the call, audited, moving the appointment as it implies (signaling calls it with the user’s token)',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403] }),
  },
  {
    method: 'POST',
    path: '/api/urgent-requests',
    what: 'an urgent request for a specialty',
    roles: only({ clinic_doctor: [201, 403] }),
  },
  {
    method: 'GET',
    path: '/api/urgent-requests',
    what: 'the urgent queue (a specialist: their specialty’s)',
    roles: only({ specialist: [200, 200], administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/urgent-requests/:id/pick',
    what: 'a specialist takes an urgent request of their specialty ("other": another specialty)',
    roles: only({ specialist: [200, 403] }),
  },
  {
    method: 'GET',
    path: '/api/appointments/:appointmentId/consultation',
    what: 'the consultation record of an appointment, opened as a draft by its parties',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403] }),
  },
  {
    method: 'GET',
    path: '/api/patients/:patientId/consultations',
    what: 'a patient’s consultations: a specialist sees those they are booked on or joined, and the signed ones as history',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403] }),
  },
  {
    method: 'GET',
    path: '/api/consultations',
    what: 'a specialist’s own notes (draft, signed, amended), paged; each listed note audited as a read',
    roles: only({ specialist: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/consultations/:id',
    what: 'one consultation, by the same rule as the list (history reads audited as such)',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403] }),
  },
  {
    method: 'PATCH',
    path: '/api/consultations/:id',
    what: 'a draft edited, naming the version it saw',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403] }),
  },
  {
    method: 'POST',
    path: '/api/consultations/:id/vital-signs',
    what: 'vital signs, recorded by the clinic',
    roles: only({ clinic_doctor: [201, 403] }),
  },
  {
    method: 'POST',
    path: '/api/consultations/:id/chat',
    what: 'a chat message between the parties',
    roles: only({ clinic_doctor: [201, 403], specialist: [201, 403] }),
  },
  {
    method: 'POST',
    path: '/api/consultations/:id/attachments',
    what: 'an attachment (JPEG, PNG, WebP, PDF)',
    roles: only({ clinic_doctor: [201, 403], specialist: [201, 403] }),
  },
  {
    method: 'GET',
    path: '/api/consultations/:id/attachments/:attachmentId',
    what: 'an attachment downloaded, by the read rule',
    roles: only({ clinic_doctor: [200, 403], specialist: [200, 403] }),
  },
  {
    method: 'POST',
    path: '/api/consultations/:id/sign',
    what: 'the specialist signs the draft',
    roles: only({ specialist: [200, 403] }),
  },
  {
    method: 'POST',
    path: '/api/consultations/:id/amendments',
    what: 'a signed consultation amended, keeping the earlier text',
    roles: only({ specialist: [200, 403] }),
  },
  {
    method: 'GET',
    path: '/api/icd10',
    what: 'ICD-10 search by code or word',
    roles: only({ clinic_doctor: [200, 200], specialist: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/signaling-refusals',
    what: 'a refusal signaling made itself, audited as the user’s (a few a minute per user, the rest summed up)',
    roles: all(204),
  },
  {
    method: 'GET',
    path: '/api/audit-events',
    what: 'the audit trail (reading it is audited)',
    roles: only({ administrator: [200, 200], auditor: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/audit-events/:id',
    what: 'one audit event (reading it is audited)',
    roles: only({ administrator: [200, 200], auditor: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/audit-events.csv',
    what: 'the filtered audit trail as CSV (the export is audited)',
    roles: only({ administrator: [200, 200], auditor: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/audit/people',
    what: 'people to filter the trail by: accounts by name or username, with role and organization (no contact details)',
    roles: only({ administrator: [200, 200], auditor: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/audit/patients',
    what: 'patients to filter the trail by: name, MRN or national ID, identity and clinic only; each patient answered is audited',
    roles: only({ auditor: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/reports/consultations',
    what: 'activity reports, JSON or CSV',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/reports/governorates',
    what: 'one day’s appointments per governorate by status (no patient data)',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/fhir-push',
    what: 'the push to the hospital’s FHIR server, item by item, by state (no clinical content; the read is audited)',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'POST',
    path: '/api/fhir-push/:consultationId/:version/retry',
    what: 'a failed push item sent again (audited)',
    roles: only({ administrator: [200, 200] }),
  },
  {
    method: 'GET',
    path: '/api/bulk-exports',
    what: 'Bulk Data exports, running and recent, with their progress (no clinical content; the read is audited)',
    roles: only({ administrator: [200, 200] }),
  },
];
