import type { Role } from '@telemed/shared';
import type { Types } from 'mongoose';
import type { Caller } from '../access/Caller.js';
import type { AuditActor } from '../audit/AuditActor.js';

interface UserRecord {
  id: string;
  role: string;
  organizationId: Types.ObjectId;
}

/**
 * A fixture user as the caller of a service, coming in through `via` (as signaling or a worker would, with
 * no HTTP request behind it).
 */
export function serviceCaller(user: UserRecord, via: AuditActor['via'] = 'signaling'): Caller {
  const role = user.role as Role;
  return {
    user: {
      id: user.id,
      role,
      organizationId: user.organizationId.toHexString(),
      name: { ar: user.id, latin: user.id },
    },
    actor: { id: user.id, role, via },
  };
}
