import {
  type Attachment,
  type ChatMessage,
  type VitalSign,
  type VitalSignInput,
  vitalSignInputSchema,
} from '@telemed/shared';
import type { RoomActor } from '../rooms/ConsultationRoomTypes.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import { channels, type SignalingIo } from '../signalingSocket.js';
import { assertMayRequestSnapshot, assertMaySend, clinicSocketIds } from './clinicalPolicy.js';
import type { RecordsClinicalData } from './RecordsClinicalData.js';

export interface LiveClinicalDataOptions {
  store: RoomStateStore;
  records: RecordsClinicalData;
  io: SignalingIo;
}

/**
 * Chat, vital signs, attachment notices and snapshot requests in a consultation room. Each is checked against
 * the room's shared state (the sender is admitted, through this socket), stored through records with the
 * sender's token, and only then told to the room's channel with what records answered: nothing is shown that
 * was not stored, and a records refusal is the sender's ack error. Notices go to channels, so that the Redis
 * adapter carries them to sockets on any node.
 */
export class LiveClinicalData {
  readonly #store: RoomStateStore;
  readonly #records: RecordsClinicalData;
  readonly #io: SignalingIo;

  constructor({ store, records, io }: LiveClinicalDataOptions) {
    this.#store = store;
    this.#records = records;
    this.#io = io;
  }

  async chat(
    actor: RoomActor,
    appointmentId: string,
    message: { text: string; clientMessageId?: string },
  ): Promise<ChatMessage> {
    assertMaySend(await this.#store.get(appointmentId), actor);
    const stored = await this.#records.postChat(actor.token, appointmentId, message);
    this.#room(appointmentId).emit('chat:message', {
      appointmentId,
      message: stored,
      ...(message.clientMessageId === undefined ? {} : { clientMessageId: message.clientMessageId }),
    });
    return stored;
  }

  async vitals(actor: RoomActor, appointmentId: string, vital: VitalSignInput): Promise<VitalSign> {
    assertMaySend(await this.#store.get(appointmentId), actor);
    const vitalSign = await this.#records.recordVitalSign(actor.token, appointmentId, vital);
    this.#room(appointmentId).emit('vitals:recorded', { appointmentId, vitalSign });
    return vitalSign;
  }

  async attachmentAdded(actor: RoomActor, appointmentId: string, attachmentId: string): Promise<Attachment> {
    assertMaySend(await this.#store.get(appointmentId), actor);
    const attachment = await this.#records.attachment(actor.token, appointmentId, attachmentId);
    this.#room(appointmentId).emit('attachment:added', { appointmentId, attachment });
    return attachment;
  }

  /** To the admitted clinic doctors' sockets of this room only (by socket id, on whichever node they are). */
  async requestSnapshot(actor: RoomActor, appointmentId: string): Promise<{ sentTo: number }> {
    const room = await this.#store.get(appointmentId);
    assertMayRequestSnapshot(room, actor);
    const socketIds = room ? clinicSocketIds(room) : [];
    if (socketIds.length > 0) {
      this.#io.to(socketIds).emit('snapshot:requested', { appointmentId, requestedBy: actor.user.id });
    }
    return { sentTo: socketIds.length };
  }

  #room(appointmentId: string) {
    return this.#io.to(channels.appointment(appointmentId));
  }
}

/** The vital sign of a `vitals:record` payload, without its room: exactly what records takes. */
export function vitalOf(payload: { appointmentId: string } & Record<string, unknown>): VitalSignInput {
  const { appointmentId: _appointmentId, ...vital } = payload;
  return vitalSignInputSchema.parse(vital);
}
