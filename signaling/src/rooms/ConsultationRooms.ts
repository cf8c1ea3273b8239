import type { Logger } from '@telemed/service-kit';
import { AppError, type AuthenticatedUser, type RoomState, type WaitingList } from '@telemed/shared';
import type { RecordsAppointments } from '../records/RecordsAppointments.js';
import type { SignalingIo, SignalingSocket } from '../signalingSocket.js';
import { ConsultationRoom } from './ConsultationRoom.js';
import type { RoomActor, RoomHooks, StoredParticipant } from './ConsultationRoomTypes.js';
import { KeyedSerializer } from './KeyedSerializer.js';
import { ReconnectionGrace } from './ReconnectionGrace.js';
import type { RoomStateStore } from './RoomStateStore.js';

export interface ConsultationRoomsOptions {
  store: RoomStateStore;
  appointments: RecordsAppointments;
  io: SignalingIo;
  logger: Logger;
  /** How long a dropped socket keeps its place: Socket.IO's recovery window. */
  recoveryMs: number;
  hooks?: RoomHooks;
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
  readonly #grace: ReconnectionGrace;

  /** Operations under way, which `close` lets finish: a node shutting down must not leave its people in the shared state. */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: ConsultationRoomsOptions) {
    this.#options = options;
    this.#grace = new ReconnectionGrace(options.recoveryMs);
    // A channel's membership is the truth about who is in a room on this node. Another node ending the room
    // or taking a user's place removes this node's sockets from the channel through the adapter (Redis
    // pub/sub with REDIS_URL); the room objects here follow.
    options.io.of('/').adapter.on('leave-room', (channel: string, socketId: string) => {
      if (!channel.startsWith(appointmentChannelPrefix)) return;
      // A dropped socket leaves its channels as it disconnects, but its place (and its media) is held for the
      // recovery window: it is not gone.
      if (this.#grace.holds(socketId)) return;
      const appointmentId = channel.slice(appointmentChannelPrefix.length);
      this.#rooms.get(appointmentId)?.socketLeft(socketId);
      // Between operations only, and only if nobody here came back meanwhile.
      void this.#serializer.run(appointmentId, async () => {
        const room = this.#rooms.get(appointmentId);
        if (room && room.localParticipants === 0) room.close();
      });
    });
  }

  join(
    actor: RoomActor,
    socket: SignalingSocket,
    appointmentId: string,
    resumeTransportIds?: readonly string[],
  ): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.join(actor, socket, resumeTransportIds));
  }

  admit(actor: RoomActor, appointmentId: string, participantId: string): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.admit(actor, participantId));
  }

  invite(actor: RoomActor, appointmentId: string, specialistId: string): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.invite(actor, specialistId));
  }

  withdrawInvitation(actor: RoomActor, appointmentId: string, specialistId: string): Promise<RoomState> {
    return this.#inRoom(appointmentId, (room) => room.withdrawInvitation(actor, specialistId));
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
      throw new AppError('FORBIDDEN', {
        en: 'Only a specialist has a waiting list.',
        ar: 'قائمة الانتظار للطبيب الاستشاري فقط.',
      });
    }
    return { waiting: await this.#options.store.waitingFor(user.id) };
  }

  /**
   * A socket is going away for good (the user left, or the server ended it): it leaves every room it was in.
   * Called on `disconnecting`, while the socket still lists its channels, so no index of sockets to rooms is needed.
   */
  socketGone(actor: RoomActor, socket: SignalingSocket): Promise<void> {
    this.#grace.release(socket.id);
    return this.#leaveAll(actor, appointmentIdsOf(socket));
  }

  /**
   * A socket's link dropped: it keeps its places for the recovery window and the others are told it is
   * reconnecting. If it has not come back when the window ends, it leaves them as `disconnected`.
   */
  async socketDropped(actor: RoomActor, socket: SignalingSocket): Promise<void> {
    const appointmentIds = appointmentIdsOf(socket);
    if (appointmentIds.length === 0) return;
    this.#grace.hold(socket.id, () => void this.#graceOver(actor, appointmentIds));
    await this.#eachRoom(appointmentIds, (room) => room.dropped(actor), 'telling a room of a drop failed');
  }

  /** A socket came back with its state recovered: back in the places it still holds. */
  async socketBack(actor: RoomActor, socket: SignalingSocket): Promise<void> {
    this.#grace.release(socket.id);
    await this.#eachRoom(
      appointmentIdsOf(socket),
      (room) => room.back(actor, socket),
      'taking a socket back into a room failed',
    );
  }

  async #graceOver(actor: RoomActor, appointmentIds: string[]): Promise<void> {
    // Recovered on another node (the Redis adapter finds it there): its place is held there, not here.
    const elsewhere = await this.#options.io
      .in(actor.socketId)
      .fetchSockets()
      .catch(() => []);
    if (elsewhere.length > 0) {
      await this.#eachRoom(appointmentIds, async (room) => room.detach(actor.socketId), 'detaching failed');
      return;
    }
    await this.#leaveAll(actor, appointmentIds);
  }

  #leaveAll(actor: RoomActor, appointmentIds: string[]): Promise<void> {
    return this.#eachRoom(
      appointmentIds,
      (room) => room.leave(actor, 'disconnected'),
      'leaving a room on disconnect failed',
    );
  }

  async #eachRoom(
    appointmentIds: string[],
    operation: (room: ConsultationRoom) => Promise<void>,
    failure: string,
  ): Promise<void> {
    await Promise.all(
      appointmentIds.map((appointmentId) =>
        this.#inRoom(appointmentId, operation).catch((error: unknown) => {
          // Replaced by a newer socket already (ROOM_NOT_JOINED): nothing to do.
          if (error instanceof AppError && error.code === 'ROOM_NOT_JOINED') return;
          this.#options.logger.error({ err: error, appointmentId }, failure);
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
    this.#grace.close();
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
    const { store, appointments, io, hooks, logger } = this.#options;
    const room = new ConsultationRoom({ appointmentId, store, appointments, io, hooks, logger });
    this.#rooms.set(appointmentId, room);
    room.onClose(() => {
      if (this.#rooms.get(appointmentId) === room) this.#rooms.delete(appointmentId);
    });
    return room;
  }
}

/** The consultation rooms a socket is in, from its channels. */
function appointmentIdsOf(socket: SignalingSocket): string[] {
  return [...socket.rooms]
    .filter((channel) => channel.startsWith(appointmentChannelPrefix))
    .map((channel) => channel.slice(appointmentChannelPrefix.length));
}
