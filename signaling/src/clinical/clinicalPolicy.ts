import { AppError } from '@telemed/shared';
import type { RoomActor, StoredParticipant, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import { participantOf } from '../rooms/roomTransitions.js';

/**
 * Who may send live clinical data into a room, as pure functions over the shared room state. Chat is NOT allowed
 * while waiting: the waiting room is before the consultation, and what a waiting clinic doctor wrote would be
 * stored on a consultation the specialist has not opened yet; it is refused with PARTICIPANT_NOT_ADMITTED.
 */

/** `actor` is in `room` through this very socket, and admitted (joined). */
export function assertMaySend(room: StoredRoom | undefined, actor: RoomActor): StoredParticipant {
  const participant = participantOf(room, actor);
  if (participant.status !== 'joined') throw new AppError('PARTICIPANT_NOT_ADMITTED');
  return participant;
}

/**
 * Only the room's booked specialist asks for a snapshot: it becomes an attachment of the consultation, which an
 * invited specialist may read but not add to.
 */
export function assertMayRequestSnapshot(room: StoredRoom | undefined, actor: RoomActor): void {
  if (actor.user.role !== 'specialist') {
    throw new AppError('FORBIDDEN', {
      en: 'Only the consultation’s specialist may ask for a snapshot.',
      ar: 'طلب لقطة الشاشة للطبيب الاستشاري المسؤول عن الاستشارة فقط.',
    });
  }
  const participant = assertMaySend(room, actor);
  if (participant.callRole !== 'booked-specialist') {
    throw new AppError('FORBIDDEN', {
      en: 'Only the specialist booked on this appointment may ask for a snapshot.',
      ar: 'طلب لقطة الشاشة للطبيب الاستشاري المحجوز على هذا الموعد فقط.',
    });
  }
}

/** The sockets a snapshot request goes to: the clinic doctors admitted in the room, and no one else. */
export function clinicSocketIds(room: StoredRoom): string[] {
  return room.participants
    .filter((p) => p.role === 'clinic_doctor' && p.status === 'joined')
    .map((p) => p.socketId);
}
