import { AppError, roomRoleSchema } from '@telemed/shared';
import { type LiveClinicalData, vitalOf } from '../clinical/LiveClinicalData.js';
import type { ConsultationRooms } from '../rooms/ConsultationRooms.js';
import type { RoomActor } from '../rooms/ConsultationRoomTypes.js';
import type { EventContext, SignalingEventHandlers } from './SignalingEventDispatcher.js';

/** The handlers of the event table: thin, each hands the validated payload to the rooms. */
export function signalingEventHandlers(
  rooms: ConsultationRooms,
  clinical: LiveClinicalData,
): SignalingEventHandlers {
  return {
    'session:whoami': ({ user }) => user,
    'room:join': (context, { appointmentId }) =>
      rooms.join(roomActorOf(context), context.socket, appointmentId),
    'room:admit': (context, { appointmentId, participantId }) =>
      rooms.admit(roomActorOf(context), appointmentId, participantId),
    'room:leave': async (context, { appointmentId }) => {
      await rooms.leave(roomActorOf(context), appointmentId);
      return { left: true as const };
    },
    'room:end': (context, { appointmentId }) => rooms.end(roomActorOf(context), appointmentId),
    'waiting:list': ({ user }) => rooms.waitingList(user),
    'chat:send': (context, { appointmentId, ...message }) =>
      clinical.chat(roomActorOf(context), appointmentId, message),
    'vitals:record': (context, payload) =>
      clinical.vitals(roomActorOf(context), payload.appointmentId, vitalOf(payload)),
    'attachment:notice': (context, { appointmentId, attachmentId }) =>
      clinical.attachmentAdded(roomActorOf(context), appointmentId, attachmentId),
    'snapshot:request': (context, { appointmentId }) =>
      clinical.requestSnapshot(roomActorOf(context), appointmentId),
  };
}

/** Only clinic doctors and specialists take part in consultations: checked before records is asked anything. */
export function roomActorOf({ socket, user, token }: EventContext): RoomActor {
  const role = roomRoleSchema.safeParse(user.role);
  if (!role.success) {
    throw new AppError('FORBIDDEN', 'Only clinic doctors and specialists take part in consultations.');
  }
  return { user: { ...user, role: role.data }, socketId: socket.id, token };
}
