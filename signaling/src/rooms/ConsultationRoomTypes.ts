import type {
  AppointmentStatus,
  AuthenticatedUser,
  CallInvitation,
  MediaKind,
  MediaSource,
  RoomParticipant,
  RoomRole,
} from '@telemed/shared';
import type { Participant } from './Participant.js';

/** A participant as the room state store keeps it: what others see, plus the socket that holds the place. */
export interface StoredParticipant extends RoomParticipant {
  /** The one socket this participant speaks through; a newer socket of the same user replaces it. */
  socketId: string;
  /**
   * The transports this socket made on the room's SFU node. Kept here, not only in the memory of the node the
   * socket is on, so that whoever removes the participant (its node may be dead) can close them by id; closing a
   * transport closes its producers and consumers. Absent means none.
   */
  transportIds?: string[];
  /** Its producers: what a participant who joins through any node is offered to consume. Absent means none. */
  producers?: StoredProducer[];
}

/** A participant's producer, as the others need it to consume it. */
export interface StoredProducer {
  producerId: string;
  kind: MediaKind;
  /** Camera, microphone or screen. Absent in state written before sources were kept: the default of its kind. */
  source?: MediaSource;
}

/** A consultation room's shared state: all a node needs to serve it, whichever node its sockets are on. */
export interface StoredRoom {
  appointmentId: string;
  /**
   * The booked specialist: whose waiting list this room's waiting participants appear on. Absent for an urgent
   * request no specialist has taken yet (records names one when a specialist takes it).
   */
  specialistId?: string;
  appointmentStatus: AppointmentStatus;
  participants: StoredParticipant[];
  /** The specialists the booked specialist invited into the call, as records last answered. */
  invitations?: CallInvitation[];
}

/** Who sends a room event, through which socket, with which access token (records is asked with it). */
export interface RoomActor {
  user: AuthenticatedUser & { role: RoomRole };
  socketId: string;
  token: string;
}

/** What other parts (media) hang off rooms, kept to a few calls so the rooms stay about rooms. */
export interface RoomHooks {
  /** A participant's socket entered the room on this node; `participant.onClose` tells when it goes. */
  participantEntered?(participant: Participant): void;
  /**
   * A participant's place was given up in the shared state (left, lost, swept after its node died, or taken by
   * the same user's newer socket): what it had is stored in `participant`, whichever node its socket was on.
   */
  participantRemoved?(appointmentId: string, participant: StoredParticipant): void;
  /** The consultation room closed for everyone (ended, or nobody is left in it). */
  roomClosed?(appointmentId: string): void;
}
