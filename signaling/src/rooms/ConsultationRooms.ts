import type { Logger } from '@telemed/service-kit';
import { AppError, type AuthenticatedUser, type RoomState, type WaitingList } from '@telemed/shared';
import type { RecordsAppointments } from '../records/RecordsAppointments.js';
import type { SignalingIo, SignalingSocket } from '../signalingSocket.js';
import { ConsultationRoom } from './ConsultationRoom.js';
import type { RoomActor, StoredParticipant } from './ConsultationRoomTypes.js';
import { KeyedSerializer } from './KeyedSerializer.js';
import type { RoomStateStore } from './RoomStateStore.js';

export interface ConsultationRoomsOptions {
  store: RoomStateStore;
  appointments: RecordsAppointments;
  io: SignalingIo;
  logger: Logger;
}

const appointmentChannelPrefix = 'appointment:';

/**
 * This node's consultation rooms (not the SFU's `RoomRegistry`, whose rooms are media routers). A room object
 * exists while one of its sockets is on this node; operations on one room run one at a time.
 */
export class ConsultationRooms {
  readonly #options: ConsultationRoomsOptions;
  readonly #rooms = new Map<string, ConsultationRoom>();
  readonly #serializer = new KeyedSerializer();

  /** Operations under way, which `close` lets finish: a node shutting down must not leave its people in the shared state. */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: ConsultationRoomsOptions) {
    this.#options = options;
    // A channel's membership is the truth about who is in a room on this node. Another node ending the room
    // or taking a user's place removes this node's sockets from the channel through the adapter (Redis
    // pub/sub with REDIS_URL); the room objects here follow.
    options.io.of('/').adapter.on('leave-room', (channel: string, socketId: string) => {
      if (!channel.startsWith(appointmentChannelPrefix)) return;
      const appointmentId = channel.slice(appointmentChannelPrefix.length);
      this.#rooms.get(appointmentId)?.socketLeft(socketId);
      // Between operations only, and only if nobody here came back meanwhile.
      void this.#serializer.run(appointmentId, async () => {
        const room = this.#rooms.get(appointmentId);
        if (room && room.localParticipants === 0) room.close();
      });
    });
  }

  join(actor: RoomActor, socket: SignalingSocket, appointmentId: string): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.join(actor, socket));
  }

  admit(actor: RoomActor, appointmentId: string, participantId: string): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.admit(actor, participantId));
  }

  leave(actor: RoomActor, appointmentId: string): Promise<void> {
    return this.#inRoom(appointmentId, (room) => room.leave(actor, 'left'));
  }

  end(actor: RoomActor, appointmentId: string): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.end(actor));
  }

  /** Everyone waiting for this specialist, across all their appointments. */
  async waitingList(user: AuthenticatedUser): Promise<WaitingList> {
    if (user.role !== 'specialist') {
      throw new AppError('FORBIDDEN', 'Only a specialist has a waiting list.');
    }
    return { waiting: await this.#options.store.waitingFor(user.id) };
  }

  /**
   * A socket is going away: it leaves every room it was in. Called on `disconnecting`, while the socket still
   * lists its channels, so no index of sockets to rooms is needed.
   */
  async socketGone(actor: RoomActor, socket: SignalingSocket): Promise<void> {
    const appointmentIds = [...socket.rooms]
      .filter((channel) => channel.startsWith(appointmentChannelPrefix))
      .map((channel) => channel.slice(appointmentChannelPrefix.length));
    await Promise.all(
      appointmentIds.map((appointmentId) =>
        this.#inRoom(appointmentId, (room) => room.leave(actor, 'disconnected')).catch((error: unknown) => {
          // Replaced by a newer socket already (ROOM_NOT_JOINED): nothing to leave.
          if (error instanceof AppError && error.code === 'ROOM_NOT_JOINED') return;
          this.#options.logger.error({ err: error, appointmentId }, 'leaving a room on disconnect failed');
        }),
      ),
    );
  }

  /**
   * Takes `participant` out of the room as disconnected if no node holds its socket any more (its node was
   * killed), asked again under the room's lock. Resolves with whether it was taken out.
   */
  removeIfGone(
    appointmentId: string,
    participant: StoredParticipant,
    isHeld: (socketId: string) => Promise<boolean>,
  ): Promise<boolean> {
    return this.#inRoom(appointmentId, async (room) => {
      if (await isHeld(participant.socketId)) return false;
      // Leaving asks records nothing: the stored participant is all the actor it needs.
      const actor: RoomActor = {
        user: {
          id: participant.participantId,
          role: participant.role,
          name: participant.name,
          organizationId: '',
        },
        socketId: participant.socketId,
        token: '',
      };
      try {
        await room.leave(actor, 'disconnected');
        return true;
      } catch (error) {
        // Gone already, or replaced by a newer socket meanwhile.
        if (error instanceof AppError && error.code === 'ROOM_NOT_JOINED') return false;
        throw error;
      }
    });
  }

  /**
   * Closes this node's room objects at shutdown, once the operations under way (among them the leaves of the
   * sockets just disconnected) have cleared this node's people from the shared state.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
    for (const room of [...this.#rooms.values()]) room.close();
  }

  #inRoom<T>(appointmentId: string, operation: (room: ConsultationRoom) => Promise<T>): Promise<T> {
    const result = this.#serializer.run(appointmentId, () =>
      this.#options.store.exclusive(appointmentId, async () => {
        const room = this.#roomFor(appointmentId);
        try {
          return await operation(room);
        } finally {
          // Kept only while it has sockets here: a refused join or a remote room leaves nothing behind.
          if (room.localParticipants === 0) room.close();
        }
      }),
    );
    this.#pending.add(result);
    void result.then(
      () => this.#pending.delete(result),
      () => this.#pending.delete(result),
    );
    return result;
  }

  #roomFor(appointmentId: string): ConsultationRoom {
    const existing = this.#rooms.get(appointmentId);
    if (existing && !existing.closed) return existing;
    const { store, appointments, io } = this.#options;
    const room = new ConsultationRoom({ appointmentId, store, appointments, io });
    this.#rooms.set(appointmentId, room);
    room.onClose(() => {
      if (this.#rooms.get(appointmentId) === room) this.#rooms.delete(appointmentId);
    });
    return room;
  }
}
