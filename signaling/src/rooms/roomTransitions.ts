import {
  AppError,
  type CallInvitation,
  type CallRole,
  type RoomState,
  type WaitingEntry,
} from '@telemed/shared';
import type { RoomActor, StoredParticipant, StoredRoom } from './ConsultationRoomTypes.js';

/**
 * The consultation room's state machine as pure functions over a stored room: no sockets, no records, no
 * clock of their own, so that every rule here is tested on its own and any node can apply it to shared state.
 */

export interface JoinResult {
  room: StoredRoom;
  participant: StoredParticipant;
  /**
   * The same user's earlier place, now taken by this socket (mediasoup-demo's `mayCloseExistingPeer`), with the
   * media ids that go with it: none when this socket resumed that media (it stays open, now this socket's).
   */
  replaced?: StoredParticipant;
}

/**
 * A clinic doctor waits until the specialist admits them; the booked specialist, and a specialist that one
 * invited, are joined at once (`callRole` is records' word on who the actor is in this call). A user who is
 * already in the room (another tab, or a socket that came back) replaces their old self and keeps their
 * place: an admitted doctor stays admitted, a waiting one keeps the time they started waiting.
 */
export function join(
  room: StoredRoom,
  actor: RoomActor,
  now: Date,
  callRole: CallRole,
  resumeTransportIds?: readonly string[],
): JoinResult {
  const existing = room.participants.find((p) => p.participantId === actor.user.id);
  const resumes = existing !== undefined && resumable(existing, resumeTransportIds);
  const moved = existing && { ...existing, socketId: actor.socketId, name: actor.user.name, callRole };
  const participant: StoredParticipant = existing
    ? existing.socketId === actor.socketId
      ? { ...existing, name: actor.user.name, callRole }
      : resumes
        ? moved!
        : withoutMedia(moved!)
    : {
        participantId: actor.user.id,
        role: actor.user.role,
        name: actor.user.name,
        status: callRole === 'clinic' ? 'waiting' : 'joined',
        callRole,
        since: now.toISOString(),
        socketId: actor.socketId,
      };
  // In place: the order participants came in stays the order everyone sees.
  const participants = existing
    ? room.participants.map((p) => (p === existing ? participant : p))
    : [...room.participants, participant];
  const replaced =
    existing && existing.socketId !== actor.socketId
      ? resumes
        ? withoutMedia(existing)
        : existing
      : undefined;
  return { room: { ...room, participants }, participant, replaced };
}

/**
 * A socket of the same user that names exactly the transports stored for them in this room (ids the SFU made
 * and only their own browser was given) carries on with that media instead of starting without it.
 */
function resumable(existing: StoredParticipant, transportIds: readonly string[] | undefined): boolean {
  const stored = existing.transportIds ?? [];
  if (!transportIds || stored.length === 0 || transportIds.length !== stored.length) return false;
  return transportIds.every((id) => stored.includes(id)) && new Set(transportIds).size === stored.length;
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

/**
 * Only the booked specialist, joined in the room, admits, ends and invites: checked before records is asked to
 * change anything. An invited specialist is a specialist too, but only sees, hears and chats.
 */
export function assertJoinedHost(room: StoredRoom | undefined, actor: RoomActor): StoredRoom {
  if (actor.user.role !== 'specialist') {
    throw new AppError('FORBIDDEN', {
      en: 'Only the consultation’s specialist may do this.',
      ar: 'هذا الإجراء للطبيب الاستشاري المسؤول عن الاستشارة فقط.',
    });
  }
  const participant = participantOf(room, actor);
  if (participant.callRole !== 'booked-specialist') {
    throw new AppError('FORBIDDEN', {
      en: 'Only the specialist booked on this appointment runs its call; an invited specialist sees, hears and chats.',
      ar: 'إدارة المكالمة للطبيب الاستشاري المحجوز على هذا الموعد فقط؛ أما الاستشاري المدعو فيرى ويسمع ويشارك في المحادثة.',
    });
  }
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
  assertJoinedHost(room, actor);
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

/**
 * The room once `specialistId`'s invitation is withdrawn: the invitations as records now answers them, and the
 * invited specialist out of it if they were in (`removed`). Nobody else leaves by a withdrawal.
 */
export function withdrawn(
  room: StoredRoom,
  specialistId: string,
  invitations: CallInvitation[],
): { room: StoredRoom; removed?: StoredParticipant } {
  const invited = room.participants.find(
    (p) => p.participantId === specialistId && p.callRole === 'invited-specialist',
  );
  const participants = room.participants.filter((p) => p !== invited);
  return { room: { ...room, participants, invitations }, removed: invited };
}

/** What every participant sees: the stored room without the socket and media ids (media has its own events). */
export function publicState(room: StoredRoom): RoomState {
  return {
    appointmentId: room.appointmentId,
    appointmentStatus: room.appointmentStatus,
    participants: room.participants.map(
      ({ socketId: _socketId, transportIds: _transportIds, producers: _producers, ...visible }) => visible,
    ),
    invitations: room.invitations ?? [],
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
