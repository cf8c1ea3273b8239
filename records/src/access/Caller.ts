import type { AuthenticatedUser } from '@telemed/shared';
import type { AuditActor } from '../audit/AuditActor.js';

/**
 * Who calls a service: the signed-in user its access rules look at, and the actor its audit events name
 * (with the door it came through). An HTTP route, a signaling handler and a worker each make one.
 */
export interface Caller {
  user: AuthenticatedUser;
  actor: AuditActor;
}
