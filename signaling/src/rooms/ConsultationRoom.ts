import { EventEmitter } from 'node:events';
import type { Logger } from '@telemed/service-kit';
import {
  AppError,
  type Appointment,
  type AppointmentStatus,
  appointmentStatusName,
  type CallRole,
  type RoomState,
} from '@telemed/shared';
import type { RecordsAppointments } from '../records/RecordsAppointments.js';
import { channels, type SignalingIo, type SignalingSocket } from '../signalingSocket.js';
import type { RoomActor, RoomHooks, StoredRoom } from './ConsultationRoomTypes.js';
import { Participant } from './Participant.js';
import type { RoomStateStore } from './RoomStateStore.js';
import * as transitions from './roomTransitions.js';

export interface ConsultationRoomOptions {
  appointmentId: string;
  store: RoomStateStore;
  appointments: RecordsAppointments;
  io: SignalingIo;
  hooks?: RoomHooks;
  now?: () => Date;
  logger?: Logger;
}

/** A room may be entered while its appointment is in one of these. */
const openStatuses: ReadonlySet<AppointmentStatus> = new Set(['scheduled', 'waiting', 'in-progress']);

/**
 * One consultation (one appointment) as this node serves it. Its state lives in the `RoomStateStore`, shared
 * by the nodes; this object holds only the `Participant`s whose sockets are on this node. Every change is
 * first made in records (with the acting user's token), then to the state, then told to the room's channel.
 * Callers run one operation at a time per room (`ConsultationRooms` serializes them).
 */
export class ConsultationRoom {
  readonly appointmentId: string;
  readonly #store: RoomStateStore;
  readonly #appointments: RecordsAppointments;
  readonly #io: SignalingIo;
  readonly #now: () => Date;
  readonly #hooks: RoomHooks;
  readonly #logger: Logger | undefined;
  /** This node's participants, by socket id. */
  readonly #local = new Map<string, Participant>();
  readonly #events = new EventEmitter<{ close: [] }>();
  #closed = false;

  constructor({
    appointmentId,
    store,
    appointments,
    io,
    hooks = {},
    now = () => new Date(),
    logger,
  }: ConsultationRoomOptions) {
    this.#hooks = hooks;
    this.#logger = logger;
    this.appointmentId = appointmentId;
    this.#store = store;
    this.#appointments = appointments;
    this.#io = io;
    this.#now = now;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** How many of the room's sockets are on this node. */
  get localParticipants(): number {
    return this.#local.size;
  }

  onClose(listener: () => void): void {
    this.#events.once('close', listener);
  }

  async join(
    actor: RoomActor,
    socket: SignalingSocket,
    resumeTransportIds?: readonly string[],
  ): Promise<RoomState> {
    // One records request, before the room changes: records refuses (and audits) who may not be in the call
    // or a call that is over, audits the join, puts a scheduled appointment in the waiting room when the
    // clinic enters, and answers the appointment with the user's call role. A join records cannot write is no
    // join. The room's state is read meanwhile: this room's operations run one at a time.
    const [appointment, saved] = await Promise.all([
      this.#appointments.recordCallEvent(actor.token, this.appointmentId, { kind: 'joined' }),
      this.#store.get(this.appointmentId),
    ]);
    const callRole = callRoleIn(actor, appointment);
    const stored: StoredRoom = saved ?? {
      appointmentId: this.appointmentId,
      appointmentStatus: appointment.status,
      participants: [],
    };
    const current: StoredRoom = {
      ...stored,
      appointmentStatus: appointment.status,
      specialistId: appointment.specialistId,
      invitations: appointment.invitations ?? [],
    };
    const { room, participant, replaced } = transitions.join(
      current,
      actor,
      this.#now(),
      callRole,
      resumeTransportIds,
    );
    // The socket may have dropped while records answered: its `disconnecting` saw no room to leave, so it
    // must not enter one now (it would wait forever on the specialist's list).
    if (socket.disconnected)
      throw new AppError('ROOM_NOT_JOINED', {
        en: 'The connection closed before joining.',
        ar: 'انقطع الاتصال قبل الانضمام؛ أعد الاتصال ثم انضم مرة أخرى.',
      });
    // In the channel before the state is saved: a drop from here on finds the room to leave.
    if (!this.#local.has(socket.id)) this.#track(actor, socket);
    try {
      await this.#store.put(room);
    } catch (error) {
      if (!stored.participants.some((p) => p.socketId === socket.id)) this.#local.get(socket.id)?.close();
      throw error;
    }
    if (replaced) {
      this.#release(replaced.socketId, replaced.participantId, 'replaced');
      this.#hooks.participantRemoved?.(this.appointmentId, replaced);
      // A rejoin after a drop the recovery window could not mend (or across nodes, where Socket.IO's redis
      // adapter recovers nothing): the others were told "reconnecting", now they hear "back".
      this.#channel()
        .except(socket.id)
        .emit('room:participant-back', { appointmentId: this.appointmentId, participantId: actor.user.id });
    }
    if (!replaced && !stored.participants.some((p) => p.participantId === actor.user.id)) {
      this.#channel()
        .except(socket.id)
        .emit('room:participant-joined', {
          appointmentId: this.appointmentId,
          participant: transitions.publicState({ ...room, participants: [participant] }).participants[0]!,
        });
    }
    return this.#changed(room);
  }

  async admit(actor: RoomActor, participantId: string): Promise<RoomState> {
    const stored = transitions.assertJoinedHost(await this.#store.get(this.appointmentId), actor);
    transitions.waitingParticipant(stored, participantId);
    // One records request: it audits the admission and starts the appointment (in-progress) unless it is
    // already; it refuses, and audits, what the lifecycle does not allow (an appointment cancelled meanwhile).
    const appointment = await this.#appointments.recordCallEvent(actor.token, this.appointmentId, {
      kind: 'admitted',
      participantId,
    });
    const { room, participant } = transitions.admit(
      { ...stored, appointmentStatus: appointment.status },
      actor,
      participantId,
      this.#now(),
    );
    await this.#store.put(room);
    const [visible] = transitions.publicState({ ...room, participants: [participant] }).participants;
    this.#channel().emit('room:admitted', { appointmentId: this.appointmentId, participant: visible! });
    return this.#changed(room);
  }

  /**
   * The booked specialist invites another specialist: records decides (and audits) first, then the invited
   * specialist's sockets, on every node, are told, and the room sees the invitation.
   */
  async invite(actor: RoomActor, specialistId: string): Promise<RoomState> {
    const stored = transitions.assertJoinedHost(await this.#store.get(this.appointmentId), actor);
    const appointment = await this.#appointments.invite(actor.token, this.appointmentId, specialistId);
    const room: StoredRoom = { ...stored, invitations: appointment.invitations ?? [] };
    await this.#store.put(room);
    this.#io.to(channels.user(specialistId)).emit('invitation:received', {
      appointmentId: this.appointmentId,
      appointment,
      invitedBy: { participantId: actor.user.id, name: actor.user.name },
    });
    return this.#changed(room);
  }

  /**
   * The booked specialist withdraws an invitation: records first (from then on it refuses the specialist this
   * appointment), then the specialist, if in the room, is taken out of it, media and all, on whichever node.
   */
  async withdrawInvitation(actor: RoomActor, specialistId: string): Promise<RoomState> {
    const stored = transitions.assertJoinedHost(await this.#store.get(this.appointmentId), actor);
    const appointment = await this.#appointments.withdrawInvitation(
      actor.token,
      this.appointmentId,
      specialistId,
    );
    const { room, removed } = transitions.withdrawn(stored, specialistId, appointment.invitations ?? []);
    await this.#store.put(room);
    if (removed) {
      // To the room's channel while the removed socket is still in it, so that it hears why it is out.
      this.#channel().emit('room:participant-left', {
        appointmentId: this.appointmentId,
        participantId: specialistId,
        reason: 'withdrawn',
      });
      this.#release(removed.socketId, specialistId, 'withdrawn');
      // Their media closes from here, even if their socket is on another node.
      this.#hooks.participantRemoved?.(this.appointmentId, removed);
    }
    this.#io.to(channels.user(specialistId)).emit('invitation:withdrawn', {
      appointmentId: this.appointmentId,
      withdrawnBy: { participantId: actor.user.id, name: actor.user.name },
    });
    return this.#changed(room);
  }

  /** `actor` leaves through this socket (or its socket went away); the consultation goes on without them. */
  async leave(actor: RoomActor, reason: 'left' | 'disconnected'): Promise<void> {
    const stored = await this.#store.get(this.appointmentId);
    transitions.participantOf(stored, actor);
    const { room, removed } = transitions.remove(stored as StoredRoom, actor.user.id);
    this.#release(actor.socketId, actor.user.id, reason);
    this.#auditLeave(actor, reason);
    this.#channel().emit('room:participant-left', {
      appointmentId: this.appointmentId,
      participantId: actor.user.id,
      reason,
    });
    if (room.participants.length === 0) {
      // Nobody left anywhere: the room closes itself (the appointment keeps its status in records).
      await this.#store.delete(this.appointmentId);
      this.#hooks.roomClosed?.(this.appointmentId);
      await this.#announceWaiting(room.specialistId);
      this.close();
      return;
    }
    await this.#store.put(room);
    // The room goes on: the leaver's media closes, even if the node it was made through is gone (a sweep).
    if (removed) this.#hooks.participantRemoved?.(this.appointmentId, removed);
    await this.#changed(room);
  }

  /** `actor`'s link dropped: its place is kept (the recovery window), and the others are told. */
  async dropped(actor: RoomActor): Promise<void> {
    transitions.participantOf(await this.#store.get(this.appointmentId), actor);
    this.#channel().except(actor.socketId).emit('room:participant-reconnecting', {
      appointmentId: this.appointmentId,
      participantId: actor.user.id,
    });
  }

  /**
   * `actor`'s socket came back with its state recovered (same id, back in the room's channel). It keeps its place
   * if it still holds it; if it was replaced or the room went on without it meanwhile, it leaves the channel.
   */
  async back(actor: RoomActor, socket: SignalingSocket): Promise<void> {
    const stored = await this.#store.get(this.appointmentId);
    const holds = stored?.participants.some(
      (p) => p.participantId === actor.user.id && p.socketId === socket.id,
    );
    if (!holds) {
      void socket.leave(channels.appointment(this.appointmentId));
      return;
    }
    const local = this.#local.get(socket.id);
    if (local) local.rebind(socket);
    else this.#track(actor, socket);
    this.#channel()
      .except(socket.id)
      .emit('room:participant-back', { appointmentId: this.appointmentId, participantId: actor.user.id });
  }

  /** Forgets this node's object for a socket that came back on another node (which now holds it). */
  detach(socketId: string): void {
    this.#local.get(socketId)?.close();
  }

  /** The specialist ends the consultation: completed in records, then everyone is told and the room closes. */
  async end(actor: RoomActor): Promise<RoomState> {
    const stored = transitions.assertJoinedHost(await this.#store.get(this.appointmentId), actor);
    // One records request: it audits the end and completes the appointment, or refuses both.
    const appointment = await this.#appointments.recordCallEvent(actor.token, this.appointmentId, {
      kind: 'ended',
    });
    const ended: StoredRoom = { ...stored, appointmentStatus: appointment.status, participants: [] };
    this.#channel().emit('room:ended', {
      appointmentId: this.appointmentId,
      appointmentStatus: appointment.status,
    });
    this.#io
      .in(channels.appointment(this.appointmentId))
      .socketsLeave(channels.appointment(this.appointmentId));
    await this.#store.delete(this.appointmentId);
    this.#hooks.roomClosed?.(this.appointmentId);
    await this.#announceWaiting(stored.specialistId);
    this.close();
    return transitions.publicState(ended);
  }

  /**
   * This node's socket is no longer in the room's channel: whichever node removed it (the room ended or the
   * user's newer socket took the place on another node, and the adapter carried the leave here), the
   * participant it held here closes with it.
   */
  socketLeft(socketId: string): void {
    this.#local.get(socketId)?.close();
  }

  /** Closes this node's side of the room (its participants stop receiving its broadcasts). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const participant of [...this.#local.values()]) participant.close();
    this.#events.emit('close');
  }

  /**
   * A leave is written to records' audit trail as it happens, but never holds the leave up: the user is gone
   * whatever records answers (a token that expired during the recovery window, records down), and a sweep of a
   * dead node's people has no token at all. What could not be written is logged.
   */
  #auditLeave(actor: RoomActor, reason: 'left' | 'disconnected'): void {
    if (!actor.token) return;
    this.#appointments
      .recordCallEvent(actor.token, this.appointmentId, { kind: 'left' })
      .catch((error: unknown) =>
        this.#logger?.warn(
          { err: error, appointmentId: this.appointmentId, participantId: actor.user.id, reason },
          'could not audit a leave',
        ),
      );
  }

  #track(actor: RoomActor, socket: SignalingSocket): void {
    const local = new Participant(this.appointmentId, actor.user.id, socket);
    this.#local.set(socket.id, local);
    local.onClose(() => {
      if (this.#local.get(socket.id) === local) this.#local.delete(socket.id);
    });
    this.#hooks.participantEntered?.(local);
  }

  async #changed(room: StoredRoom): Promise<RoomState> {
    const state = transitions.publicState(room);
    this.#channel().emit('room:state', state);
    await this.#announceWaiting(room.specialistId);
    return state;
  }

  /** Tells a socket whose place is gone, on whichever node it is, and stops its share of the room's broadcasts. */
  #release(
    socketId: string,
    participantId: string,
    reason: 'left' | 'disconnected' | 'replaced' | 'withdrawn',
  ): void {
    if (reason === 'replaced') {
      this.#io.to(socketId).emit('room:participant-left', {
        appointmentId: this.appointmentId,
        participantId,
        reason,
      });
    }
    this.#io.in(socketId).socketsLeave(channels.appointment(this.appointmentId));
    this.#local.get(socketId)?.close();
  }

  async #announceWaiting(specialistId: string | undefined): Promise<void> {
    if (!specialistId) return;
    const waiting = await this.#store.waitingFor(specialistId);
    this.#io.to(channels.user(specialistId)).emit('waiting:changed', { waiting });
  }

  #channel() {
    return this.#io.to(channels.appointment(this.appointmentId));
  }
}

/**
 * Who `actor` is in the call, as records answered the join (`callRole`). Records already refused (and audited)
 * anyone not in the call and a call that is over; this holds signaling to the same rules whatever it is
 * answered.
 */
function callRoleIn(actor: RoomActor, appointment: Appointment): CallRole {
  if (!appointment.callRole) {
    throw new AppError(
      'FORBIDDEN',
      actor.user.role === 'specialist'
        ? {
            en: 'Only the specialist booked on this appointment, or one they invited, may enter its room; take the request first.',
            ar: 'لا يدخل غرفة هذا الموعد إلا الطبيب الاستشاري المحجوز عليه أو من دعاه؛ تولَّ الطلب أولاً.',
          }
        : {
            en: 'You may not take part in this appointment’s call.',
            ar: 'لا يحق لك المشاركة في مكالمة هذا الموعد.',
          },
    );
  }
  if (!openStatuses.has(appointment.status)) {
    throw new AppError('UNPROCESSABLE', {
      en: `This appointment is ${appointment.status}; its consultation room is closed.`,
      ar: `حالة هذا الموعد «${appointmentStatusName(appointment.status, 'ar')}»؛ غرفة الاستشارة مغلقة.`,
    });
  }
  return appointment.callRole;
}
