import { AppError, type RoomState, type WaitingEntry } from '@telemed/shared';
import type { RoomActor, StoredParticipant, StoredRoom } from './ConsultationRoomTypes.js';

/**
 * The consultation room's state machine as pure functions over a stored room: no sockets, no records, no
 * clock of their own, so that every rule here is tested on its own and any node can apply it to shared state.
 */

export interface JoinResult {
  room: StoredRoom;
  participant: StoredParticipant;
  /** The same user's earlier place, now taken by this socket (mediasoup-demo's `mayCloseExistingPeer`). */
  replaced?: StoredParticipant;
}

/**
 * A clinic doctor waits until the specialist admits them; the specialist is joined at once. A user who is
 * already in the room (another tab, or a socket that came back) replaces their old self and keeps their
 * place: an admitted doctor stays admitted, a waiting one keeps the time they started waiting.
 */
export function join(room: StoredRoom, actor: RoomActor, now: Date): JoinResult {
  const existing = room.participants.find((p) => p.participantId === actor.user.id);
  const participant: StoredParticipant = existing
    ? existing.socketId === actor.socketId
      ? { ...existing, name: actor.user.name }
      : withoutMedia({ ...existing, socketId: actor.socketId, name: actor.user.name })
    : {
        participantId: actor.user.id,
        role: actor.user.role,
        name: actor.user.name,
        status: actor.user.role === 'specialist' ? 'joined' : 'waiting',
        since: now.toISOString(),
        socketId: actor.socketId,
      };
  // In place: the order participants came in stays the order everyone sees.
  const participants = existing
    ? room.participants.map((p) => (p === existing ? participant : p))
    : [...room.participants, participant];
  const replaced = existing && existing.socketId !== actor.socketId ? existing : undefined;
  return { room: { ...room, participants }, participant, replaced };
}

/** A newer socket starts without media: what the old one made is closed with it (`replaced` lists it). */
function withoutMedia({
  transportIds: _transportIds,
  producers: _producers,
  ...participant
}: StoredParticipant): StoredParticipant {
  return participant;
}

/** The participant `actor` is in `room` through this very socket, or ROOM_NOT_JOINED. */
export function participantOf(room: StoredRoom | undefined, actor: RoomActor): StoredParticipant {
  const participant = room?.participants.find(
    (p) => p.participantId === actor.user.id && p.socketId === actor.socketId,
  );
  if (!participant) throw new AppError('ROOM_NOT_JOINED');
  return participant;
}

/** Only the specialist, joined in the room, may admit or end: checked before records is asked to change anything. */
export function assertJoinedSpecialist(room: StoredRoom | undefined, actor: RoomActor): StoredRoom {
  if (actor.user.role !== 'specialist') {
    throw new AppError('FORBIDDEN', 'Only the consultation’s specialist may do this.');
  }
  const participant = participantOf(room, actor);
  if (participant.status !== 'joined') throw new AppError('ROOM_NOT_JOINED');
  return room as StoredRoom;
}

/** The waiting participant the specialist is about to admit, or PARTICIPANT_NOT_WAITING. */
export function waitingParticipant(room: StoredRoom, participantId: string): StoredParticipant {
  const participant = room.participants.find((p) => p.participantId === participantId);
  if (participant?.status !== 'waiting') throw new AppError('PARTICIPANT_NOT_WAITING');
  return participant;
}

export function admit(
  room: StoredRoom,
  actor: RoomActor,
  participantId: string,
  now: Date,
): { room: StoredRoom; participant: StoredParticipant } {
  assertJoinedSpecialist(room, actor);
  const admitted: StoredParticipant = {
    ...waitingParticipant(room, participantId),
    status: 'joined',
    since: now.toISOString(),
  };
  const participants = room.participants.map((p) => (p.participantId === participantId ? admitted : p));
  return { room: { ...room, participants }, participant: admitted };
}

/** The room without this participant; `undefined` for the participant when they were not in it. */
export function remove(
  room: StoredRoom,
  participantId: string,
): { room: StoredRoom; removed?: StoredParticipant } {
  const removed = room.participants.find((p) => p.participantId === participantId);
  return { room: { ...room, participants: room.participants.filter((p) => p !== removed) }, removed };
}

/** What every participant sees: the stored room without the socket and media ids (media has its own events). */
export function publicState(room: StoredRoom): RoomState {
  return {
    appointmentId: room.appointmentId,
    appointmentStatus: room.appointmentStatus,
    participants: room.participants.map(
      ({ socketId: _socketId, transportIds: _transportIds, producers: _producers, ...visible }) => visible,
    ),
  };
}

/** The room's entries on its specialist's waiting list. */
export function waitingEntries(room: StoredRoom): WaitingEntry[] {
  return room.participants
    .filter((p) => p.status === 'waiting')
    .map((p) => ({
      appointmentId: room.appointmentId,
      participantId: p.participantId,
      name: p.name,
      since: p.since,
    }));
}
