import type { AuditVia } from '@telemed/shared';

/**
 * Who stands behind an audited read or change, and through what it came: an HTTP request, a signaling
 * event, a background worker or an export. Services take one, so that a change is audited the same way
 * whichever door it came through. `id` and `role` are absent only where nobody is signed in yet (a refused
 * token, an unknown username).
 */
export interface AuditActor {
  id?: string | undefined;
  role?: string | undefined;
  ip?: string | undefined;
  via: AuditVia;
}
