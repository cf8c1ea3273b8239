import type { AuditVia } from '@telemed/shared';
import type { MessageKey } from '../../i18n/catalog.js';

/**
 * The kinds of record an audit event names, as records stores them (a route's resource, or a domain's own word):
 * each with its words in the catalog. A kind not listed here (one added to records later) shows as stored.
 */
const resourceKinds: Record<string, MessageKey> = {
  patient: 'auditDetail.resource.patient',
  patients: 'auditDetail.resource.patients',
  appointment: 'auditDetail.resource.appointment',
  appointments: 'auditDetail.resource.appointments',
  consultation: 'auditDetail.resource.consultation',
  consultations: 'auditDetail.resource.consultations',
  'consultation-history': 'auditDetail.resource.consultationHistory',
  'urgent-requests': 'auditDetail.resource.urgentRequests',
  'access-token': 'auditDetail.resource.accessToken',
  session: 'auditDetail.resource.session',
  password: 'auditDetail.resource.password',
  auth: 'auditDetail.resource.auth',
  'audit-log': 'auditDetail.resource.auditLog',
  'audit-events': 'auditDetail.resource.auditLog',
  'signaling-events': 'auditDetail.resource.signalingEvents',
  'signaling-refusals': 'auditDetail.resource.signalingRefusals',
  organizations: 'auditDetail.resource.organizations',
  users: 'auditDetail.resource.users',
  specialists: 'auditDetail.resource.specialists',
  reports: 'auditDetail.resource.reports',
  icd: 'auditDetail.resource.icd',
  api: 'auditDetail.resource.api',
};

export function resourceKindKey(resourceType: string): MessageKey | undefined {
  return Object.hasOwn(resourceKinds, resourceType) ? resourceKinds[resourceType] : undefined;
}

export const viaKeys: Record<AuditVia, MessageKey> = {
  http: 'auditDetail.via.http',
  signaling: 'auditDetail.via.signaling',
  worker: 'auditDetail.via.worker',
  export: 'auditDetail.via.export',
};
