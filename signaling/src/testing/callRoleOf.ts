import type { CallRole } from '@telemed/shared';
import type { RoomActor } from '../rooms/ConsultationRoomTypes.js';

/**
 * For tests of pure room logic: the call role records would answer for a clinic doctor of the appointment's
 * clinic and for its booked specialist (records decides it in the running service).
 */
export function callRoleOf(who: RoomActor): CallRole {
  return who.user.role === 'clinic_doctor' ? 'clinic' : 'booked-specialist';
}
