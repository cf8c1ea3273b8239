import type { AppError, ErrorCode } from '@telemed/shared';
import { isRecordsAnswer } from '../records/callRecordsAs.js';

/**
 * Signaling's own refusals that are about access, and so go to records' audit trail as records' own refusals
 * do: an event from a role that may not send it, from outside the room or before its turn (a room event before
 * the join, media before admission, someone else's media id), about an unknown room.
 *
 * Left out, on purpose:
 * - malformed payloads (VALIDATION_FAILED) and unknown event names: they say nothing about who may do what,
 *   only that a client is broken; auditing them would write a client's mistakes (and, for the attacker, as
 *   many events as it sends) to a trail that is for who tried to reach what;
 * - records' answers passed on (records audited its refusal itself), and failures that are nobody's doing
 *   (SERVICE_UNAVAILABLE, INTERNAL) or a race lost (STALE_WRITE, CONFLICT).
 */
const accessRefusals: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'FORBIDDEN',
  'ROOM_NOT_FOUND',
  'ROOM_NOT_JOINED',
  'PARTICIPANT_NOT_WAITING',
  'PARTICIPANT_NOT_ADMITTED',
  'MEDIA_NOT_FOUND',
  'MEDIA_OUT_OF_ORDER',
]);

export function isAuditedRefusal(error: AppError): boolean {
  return accessRefusals.has(error.code) && !isRecordsAnswer(error);
}
