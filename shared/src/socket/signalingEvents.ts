import { z } from 'zod';
import { errorBodySchema } from '../errors/errorCodes.js';
import { objectIdSchema } from '../identifiers.js';
import {
  appointmentSchema,
  appointmentStatusSchema,
  callInvitationSchema,
  callRoleSchema,
} from '../records/appointments.js';
import { bilingualNameSchema } from '../records/common.js';
import {
  attachmentSchema,
  chatMessageInputSchema,
  chatMessageSchema,
  vitalSignInputSchema,
  vitalSignSchema,
} from '../records/consultations.js';
import { roleSchema } from '../roles.js';
import { sfuEntityIdSchema } from '../sfu/sfuControlApi.js';
import { mediaNotifications, mediaRequests } from './mediaEvents.js';
import { networkTestRequests } from './networkTestEvents.js';

/**
 * The signaling protocol as data, like the SFU control API (`sfu/sfuControlApi.ts`): every request a browser
 * sends with its payload and the data its ack carries, and every notification the server sends. The server
 * validates each payload with this table at the edge; the Socket.IO event maps below are derived from it, so a
 * renamed event or a changed payload breaks the build of both sides rather than a consultation.
 */

/** In a room, a participant is a user: a second socket of the same user replaces the first. */
export const participantIdSchema = objectIdSchema;

/** Kept apart, as mediasoup-demo's Room keeps joining peers apart from joined ones. */
export const participantStatusSchema = z.enum(['waiting', 'joined']);
export type ParticipantStatus = z.infer<typeof participantStatusSchema>;

/** Who may be in a consultation room at all. */
export const roomRoleSchema = roleSchema.extract(['clinic_doctor', 'specialist']);
export type RoomRole = z.infer<typeof roomRoleSchema>;

export const roomParticipantSchema = z.object({
  participantId: participantIdSchema,
  role: roomRoleSchema,
  name: bilingualNameSchema,
  status: participantStatusSchema,
  /**
   * Who they are in the call, as records says: the clinic, the booked specialist (who admits, invites and
   * ends) or a specialist that one invited (who sees, hears and chats). Lays out a three-party call.
   */
  callRole: callRoleSchema,
  /** When the participant entered its current status (for "waiting since"). ISO 8601. */
  since: z.string(),
});
export type RoomParticipant = z.infer<typeof roomParticipantSchema>;

export const roomStateSchema = z.object({
  appointmentId: objectIdSchema,
  /** The appointment's status in records, as of the room's last change. */
  appointmentStatus: appointmentStatusSchema,
  participants: z.array(roomParticipantSchema),
  /** The specialists invited into the call (joined or not yet), as records last answered. */
  invitations: z.array(callInvitationSchema).optional(),
});
export type RoomState = z.infer<typeof roomStateSchema>;

/** One clinic doctor waiting for a specialist: what the specialist's waiting list shows. */
export const waitingEntrySchema = z.object({
  appointmentId: objectIdSchema,
  participantId: participantIdSchema,
  name: bilingualNameSchema,
  /** ISO 8601: when they started waiting. */
  since: z.string(),
});
export type WaitingEntry = z.infer<typeof waitingEntrySchema>;

export const waitingListSchema = z.object({ waiting: z.array(waitingEntrySchema) });
export type WaitingList = z.infer<typeof waitingListSchema>;

const inRoom = z.strictObject({ appointmentId: objectIdSchema });

/**
 * What the governance dashboard watches live, for administrators: consultations running now, clinics waiting
 * and since when, and the specialists connected, across every signaling node. No patient data: rooms are named
 * by appointment id, and the people in them are clinicians.
 */
export const governanceSnapshotSchema = z.object({
  /** ISO 8601: when the snapshot was read. */
  at: z.string(),
  inProgress: z.array(
    z.object({
      appointmentId: objectIdSchema,
      specialistId: objectIdSchema.optional(),
      /** How many are in the call now. */
      joined: z.number().int().min(0),
      /** ISO 8601: since when the earliest one joined. */
      since: z.string().optional(),
    }),
  ),
  /** Clinic doctors waiting to be admitted, longest waiting first. */
  waiting: z.array(waitingEntrySchema),
  specialistsOnline: z.object({ count: z.number().int().min(0), ids: z.array(objectIdSchema) }),
});
export type GovernanceSnapshot = z.infer<typeof governanceSnapshotSchema>;

const aSpecialist = z.strictObject({ appointmentId: objectIdSchema, specialistId: participantIdSchema });

/** Told to an invited specialist's sockets, on every node. */
export const invitationReceivedSchema = z.object({
  appointmentId: objectIdSchema,
  /** The appointment as records answered the invitation (with the patient's name when records keeps it). */
  appointment: appointmentSchema,
  invitedBy: z.object({ participantId: participantIdSchema, name: bilingualNameSchema }),
});

export const invitationWithdrawnSchema = z.object({
  appointmentId: objectIdSchema,
  withdrawnBy: z.object({ participantId: participantIdSchema, name: bilingualNameSchema }),
});

export const authenticatedUserSchema = z.object({
  id: objectIdSchema,
  role: roleSchema,
  organizationId: objectIdSchema,
  name: bilingualNameSchema,
});

const roomShape = { appointmentId: objectIdSchema };
const [bloodPressure, heartRate, respiratoryRate, temperature, spo2, bloodGlucose, weight, height] =
  vitalSignInputSchema.options;

/** A vital sign as records takes it (`vitalSignInputSchema`), plus the room it is taken in. */
export const vitalsRecordRequestSchema = z.discriminatedUnion('kind', [
  bloodPressure.extend(roomShape),
  heartRate.extend(roomShape),
  respiratoryRate.extend(roomShape),
  temperature.extend(roomShape),
  spo2.extend(roomShape),
  bloodGlucose.extend(roomShape),
  weight.extend(roomShape),
  height.extend(roomShape),
]);

/** A chat message as records stored it, in its room; `clientMessageId` lets the sender match its own echo. */
export const chatNoticeSchema = z.object({
  appointmentId: objectIdSchema,
  message: chatMessageSchema,
  clientMessageId: z.string().optional(),
});

export const snapshotRequestedSchema = z.object({
  appointmentId: objectIdSchema,
  /** The specialist who asks the clinic for a still image of the camera. */
  requestedBy: participantIdSchema,
});

/**
 * Client → server requests. `request: null` means the event carries no payload (the ack is its only
 * argument); otherwise the payload comes first and the ack last.
 */
export const signalingRequests = {
  /** Who the server knows this socket to be (a cheap check that the token was accepted). */
  'session:whoami': { request: null, ack: authenticatedUserSchema },
  /**
   * Enter the appointment's room: a clinic doctor waits (the appointment becomes `waiting`), its booked
   * specialist, and a specialist it invited, are joined at once. Records decides who may (the user's own token asks it).
   */
  'room:join': {
    request: z.strictObject({
      appointmentId: objectIdSchema,
      /**
       * A socket that came back on another signaling node (its node died) keeps its media: it names the
       * transports it still holds, and when they are exactly those the room stores for this user they stay
       * theirs (not closed as a replaced socket's would be); `media:resume` then adopts them on this node.
       */
      resume: z.strictObject({ transportIds: z.array(sfuEntityIdSchema).min(1).max(8) }).optional(),
    }),
    ack: roomStateSchema,
  },
  /** The specialist lets a waiting clinic doctor in; the appointment becomes `in-progress`. */
  'room:admit': {
    request: z.strictObject({ appointmentId: objectIdSchema, participantId: participantIdSchema }),
    ack: roomStateSchema,
  },
  /**
   * The booked specialist, joined, invites another specialist into the call (records decides and audits). The
   * invited specialist's sockets get `invitation:received`; the room gets `room:state` with the invitations.
   */
  'room:invite': { request: aSpecialist, ack: roomStateSchema },
  /**
   * The booked specialist withdraws an invitation: records first, then the invited specialist leaves the room
   * (`room:participant-left`, reason `withdrawn`) and their sockets get `invitation:withdrawn`.
   */
  'room:withdraw-invitation': { request: aSpecialist, ack: roomStateSchema },
  /** Leave the room without ending the consultation. */
  'room:leave': { request: inRoom, ack: z.object({ left: z.literal(true) }) },
  /** The specialist ends the consultation: the appointment becomes `completed` and the room closes. */
  'room:end': { request: inRoom, ack: roomStateSchema },
  /** The specialist's live waiting list, across all their appointments. */
  'waiting:list': { request: null, ack: waitingListSchema },
  /**
   * Live clinical data: stored through records first (with the sender's token), then told to the room with what
   * records answered. Only joined participants send; a clinic doctor still waiting is refused.
   */
  'chat:send': {
    request: z.strictObject({ ...roomShape, ...chatMessageInputSchema.shape }),
    ack: chatMessageSchema,
  },
  /** A vital sign taken at the clinic (records accepts them from the clinic doctor only). */
  'vitals:record': { request: vitalsRecordRequestSchema, ack: vitalSignSchema },
  /** The browser uploaded an attachment through records' HTTP API; the room is told what records holds. */
  'attachment:notice': {
    request: z.strictObject({ ...roomShape, attachmentId: objectIdSchema }),
    ack: attachmentSchema,
  },
  /** The specialist asks the clinic's sockets in the room (and no one else) for a snapshot. */
  'snapshot:request': { request: inRoom, ack: z.object({ sentTo: z.number().int().min(0) }) },
  /**
   * Administrators only: the governance dashboard's live view. Answers a snapshot now, then
   * `governance:snapshot` every few seconds until the socket goes.
   */
  'governance:subscribe': { request: null, ack: governanceSnapshotSchema },
  /** Media through the SFU: `mediaEvents.ts`. */
  ...mediaRequests,
  /** The pre-call network test, outside any room: `networkTestEvents.ts`. */
  ...networkTestRequests,
} as const;

export const roomLeftReasonSchema = z.enum(['left', 'disconnected', 'replaced', 'withdrawn']);

/** Server → client notifications and their payloads. */
export const signalingNotifications = {
  /** The access token behind this socket expired; the client must refresh and reconnect. */
  'session:expired': errorBodySchema,
  /**
   * Records no longer accepts the account behind this socket (deactivated: ACCOUNT_INACTIVE; or changed or
   * gone: UNAUTHENTICATED); the server disconnects the socket right after. Signing in again is the only way back.
   */
  'session:revoked': errorBodySchema,
  /** Everyone in the room, after any change to it. */
  'room:state': roomStateSchema,
  'room:participant-joined': z.object({ appointmentId: objectIdSchema, participant: roomParticipantSchema }),
  /**
   * `replaced`: sent to the socket a newer socket of the same user took the place of. `withdrawn`: the booked
   * specialist withdrew this invited specialist's invitation.
   */
  'room:participant-left': z.object({
    appointmentId: objectIdSchema,
    participantId: participantIdSchema,
    reason: roomLeftReasonSchema,
  }),
  /** To everyone in the room when the specialist admits a waiting participant. */
  'room:admitted': z.object({ appointmentId: objectIdSchema, participant: roomParticipantSchema }),
  'room:ended': z.object({ appointmentId: objectIdSchema, appointmentStatus: appointmentStatusSchema }),
  /** To an invited specialist's own sockets (every tab, every node) when the booked specialist invites them. */
  'invitation:received': invitationReceivedSchema,
  /** To an invited specialist's own sockets when their invitation is withdrawn. */
  'invitation:withdrawn': invitationWithdrawnSchema,
  /** To the specialist's own sockets whenever who waits for them changes. */
  'waiting:changed': waitingListSchema,
  /** A participant's link dropped; its place is kept for the recovery window (SIGNALING_RECOVERY_SECONDS). */
  'room:participant-reconnecting': z.object({
    appointmentId: objectIdSchema,
    participantId: participantIdSchema,
  }),
  /** The dropped participant came back within the window, in the same place. */
  'room:participant-back': z.object({ appointmentId: objectIdSchema, participantId: participantIdSchema }),
  'chat:message': chatNoticeSchema,
  'vitals:recorded': z.object({ appointmentId: objectIdSchema, vitalSign: vitalSignSchema }),
  'attachment:added': z.object({ appointmentId: objectIdSchema, attachment: attachmentSchema }),
  /** To the clinic's sockets in the room only. */
  'snapshot:requested': snapshotRequestedSchema,
  /** To administrators who sent `governance:subscribe`, every few seconds. */
  'governance:snapshot': governanceSnapshotSchema,
  ...mediaNotifications,
} as const;

export type SignalingRequestName = keyof typeof signalingRequests;
export type SignalingNotificationName = keyof typeof signalingNotifications;

type RequestSchemaOf<E extends SignalingRequestName> = (typeof signalingRequests)[E]['request'];
/** A request's payload as sent (null for events without one). */
export type SignalingRequest<E extends SignalingRequestName> =
  RequestSchemaOf<E> extends z.ZodType ? z.input<RequestSchemaOf<E>> : undefined;
/** A request's payload after validation: what the server's handlers receive. */
export type SignalingParsedRequest<E extends SignalingRequestName> =
  RequestSchemaOf<E> extends z.ZodType ? z.infer<RequestSchemaOf<E>> : undefined;
export type SignalingAck<E extends SignalingRequestName> = z.infer<(typeof signalingRequests)[E]['ack']>;
export type SignalingNotification<E extends SignalingNotificationName> = z.infer<
  (typeof signalingNotifications)[E]
>;

export function isSignalingRequestName(name: unknown): name is SignalingRequestName {
  return typeof name === 'string' && Object.hasOwn(signalingRequests, name);
}
