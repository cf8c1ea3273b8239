import { AppError, roomRoleSchema } from '@telemed/shared';
import { type LiveClinicalData, vitalOf } from '../clinical/LiveClinicalData.js';
import type { GovernanceFeed } from '../governance/GovernanceFeed.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { NetworkTestActor, NetworkTests } from '../media/NetworkTests.js';
import type { ConsultationRooms } from '../rooms/ConsultationRooms.js';
import type { RoomActor } from '../rooms/ConsultationRoomTypes.js';
import type { EventContext, SignalingEventHandlers } from './SignalingEventDispatcher.js';

/** The handlers of the event table: thin, each hands the validated payload to the rooms. */
export function signalingEventHandlers(
  rooms: ConsultationRooms,
  clinical: LiveClinicalData,
  media: MediaRooms,
  governance: GovernanceFeed,
  networkTests: NetworkTests,
): SignalingEventHandlers {
  return {
    'session:whoami': ({ user }) => user,
    'governance:subscribe': ({ user, socket }) => governance.subscribe(user, socket),
    'room:join': (context, { appointmentId, resume }) =>
      rooms.join(roomActorOf(context), context.socket, appointmentId, resume?.transportIds),
    'room:admit': (context, { appointmentId, participantId }) =>
      rooms.admit(roomActorOf(context), appointmentId, participantId),
    'room:invite': (context, { appointmentId, specialistId }) =>
      rooms.invite(roomActorOf(context), appointmentId, specialistId),
    'room:withdraw-invitation': (context, { appointmentId, specialistId }) =>
      rooms.withdrawInvitation(roomActorOf(context), appointmentId, specialistId),
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
    'media:router-capabilities': (context, payload) =>
      media.routerCapabilities(roomActorOf(context), payload),
    'media:create-transport': (context, payload) => media.createTransport(roomActorOf(context), payload),
    'media:connect-transport': (context, payload) => media.connectTransport(roomActorOf(context), payload),
    'media:produce': (context, payload) => media.produce(roomActorOf(context), payload),
    'media:consume': (context, payload) => media.consume(roomActorOf(context), payload),
    'media:resume-consumer': (context, payload) => media.resumeConsumer(roomActorOf(context), payload),
    'media:pause-producer': (context, payload) => media.pauseProducer(roomActorOf(context), payload),
    'media:resume-producer': (context, payload) => media.resumeProducer(roomActorOf(context), payload),
    'media:close-producer': (context, payload) => media.closeProducer(roomActorOf(context), payload),
    'media:set-preferred-layers': (context, payload) =>
      media.setPreferredLayers(roomActorOf(context), payload),
    'media:restart-ice': (context, payload) => media.restartIce(roomActorOf(context), payload),
    'media:close-transport': (context, payload) => media.closeTransport(roomActorOf(context), payload),
    'media:resume': (context, payload) => media.resume(roomActorOf(context), payload),
    'network-test:start': (context) => networkTests.start(testerOf(context)),
    'network-test:connect-transport': (context, payload) =>
      networkTests.connectTransport(testerOf(context), payload),
    'network-test:produce': (context, payload) => networkTests.produce(testerOf(context), payload),
    'network-test:consume': (context, payload) => networkTests.consume(testerOf(context), payload),
    'network-test:resume-consumer': (context, payload) =>
      networkTests.resumeConsumer(testerOf(context), payload),
    'network-test:stop': (context) => networkTests.stop(testerOf(context)),
  };
}

/** Only clinic doctors and specialists take part in consultations: checked before records is asked anything. */
export function roomActorOf({ socket, user, token }: EventContext): RoomActor {
  const role = roomRoleSchema.safeParse(user.role);
  if (!role.success) {
    throw new AppError('FORBIDDEN', {
      en: 'Only clinic doctors and specialists take part in consultations.',
      ar: 'يشارك في الاستشارات أطباء الوحدات الصحية والأطباء الاستشاريون فقط.',
    });
  }
  return { user: { ...user, role: role.data }, socketId: socket.id, token };
}

function testerOf({ socket, user }: EventContext): NetworkTestActor {
  return { user, socketId: socket.id };
}
