import type { Logger } from '@telemed/service-kit';
import {
  AppError,
  type RoomProducer,
  type SfuEvent,
  type SignalingAck,
  type SignalingParsedRequest,
  type SignalingRequestName,
} from '@telemed/shared';
import type { RoomActor, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import { KeyedSerializer } from '../rooms/KeyedSerializer.js';
import type { Participant } from '../rooms/Participant.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import type { SignalingIo } from '../signalingSocket.js';
import { InMemorySfuPlacementStore } from './InMemorySfuPlacementStore.js';
import { MediaScoreWatch } from './MediaScoreWatch.js';
import type { ParticipantMedia } from './ParticipantMedia.js';
import { RoomMedia } from './RoomMedia.js';
import { SfuEventPump } from './SfuEventPump.js';
import type { SfuNode, SfuNodes } from './SfuNodes.js';
import type { SfuPlacementStore } from './SfuPlacementStore.js';

export interface MediaRoomsOptions {
  nodes: SfuNodes;
  store: RoomStateStore;
  io: SignalingIo;
  logger: Logger;
  /** Which SFU node each room is on, shared by the signaling nodes; in memory by default (one node). */
  placements?: SfuPlacementStore;
  /** How often producers' and consumers' scores are sampled from the SFU (3 s by default). */
  scoreIntervalMs?: number;
}

type Request<E extends SignalingRequestName> = SignalingParsedRequest<E>;

/**
 * Media through the SFU for the consultation rooms of this node. Signaling is the SFU control API's only
 * client: every media request is checked here first (the caller is joined, i.e. admitted, through this very
 * socket; every id is the caller's own), then made on the SFU node the room's router lives on. SFU events
 * reach the browsers they concern. Work for one participant runs one request at a time.
 */
export class MediaRooms {
  readonly #options: MediaRoomsOptions;
  readonly #rooms = new Map<string, RoomMedia>();
  /** Routers being created: concurrent first requests of a room share one placement. */
  readonly #placing = new Map<string, Promise<RoomMedia>>();
  readonly #pumps = new Map<string, SfuEventPump>();
  readonly #serializer = new KeyedSerializer();
  readonly #scores: MediaScoreWatch;
  readonly #placements: SfuPlacementStore;

  constructor(options: MediaRoomsOptions) {
    this.#options = options;
    this.#placements = options.placements ?? new InMemorySfuPlacementStore();
    this.#scores = new MediaScoreWatch(
      () => this.#rooms.values(),
      options.io,
      options.logger,
      options.scoreIntervalMs,
    );
  }

  /** Room hook: a participant's socket entered a room on this node; its media goes when it goes. */
  participantEntered(participant: Participant): void {
    const { appointmentId, participantId, socketId } = participant;
    participant.onClose(() => {
      void this.#forParticipant(appointmentId, participantId, () =>
        this.#participantGone(appointmentId, participantId, socketId),
      ).catch((error: unknown) =>
        this.#options.logger.error({ err: error, appointmentId }, 'closing a participant’s media failed'),
      );
    });
  }

  /** Room hook: the consultation room closed (ended, or nobody left): its router closes on the SFU. */
  roomClosed(appointmentId: string): void {
    const room = this.#rooms.get(appointmentId);
    this.#rooms.delete(appointmentId);
    void Promise.all([room?.close(), this.#placements.release(appointmentId)]).catch((error: unknown) =>
      this.#options.logger.error({ err: error, appointmentId }, 'closing a room’s router failed'),
    );
  }

  routerCapabilities(
    actor: RoomActor,
    { appointmentId }: Request<'media:router-capabilities'>,
  ): Promise<SignalingAck<'media:router-capabilities'>> {
    return this.#forParticipant(appointmentId, actor.user.id, async () => {
      await this.#assertJoined(actor, appointmentId);
      const room = await this.#roomMedia(appointmentId);
      await room.of(actor.user.id, actor.socketId);
      const producers: RoomProducer[] = [];
      for (const media of room.participants()) {
        if (media.participantId === actor.user.id) continue;
        for (const [producerId, kind] of media.producers) {
          producers.push({ producerId, participantId: media.participantId, kind });
        }
      }
      return { rtpCapabilities: room.rtpCapabilities, producers };
    });
  }

  createTransport(
    actor: RoomActor,
    { appointmentId, direction }: Request<'media:create-transport'>,
  ): Promise<SignalingAck<'media:create-transport'>> {
    return this.#forParticipant(appointmentId, actor.user.id, async () => {
      await this.#assertJoined(actor, appointmentId);
      const room = await this.#roomMedia(appointmentId);
      const media = await room.of(actor.user.id, actor.socketId);
      const transport = await room.node.call('createWebRtcTransport', {
        roomId: appointmentId,
        direction,
        appData: { participantId: actor.user.id },
      });
      media.addTransport(transport.transportId, direction);
      return transport;
    });
  }

  connectTransport(
    actor: RoomActor,
    { appointmentId, transportId, dtlsParameters }: Request<'media:connect-transport'>,
  ) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertTransport(transportId);
      await room.node.call('connectWebRtcTransport', { roomId: appointmentId, transportId, dtlsParameters });
      return { done: true as const };
    });
  }

  produce(
    actor: RoomActor,
    { appointmentId, transportId, kind, rtpParameters, appData }: Request<'media:produce'>,
  ) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertTransport(transportId, 'send');
      const { producerId } = await room.node.call('produce', {
        roomId: appointmentId,
        transportId,
        kind,
        rtpParameters,
        appData: { ...appData, participantId: actor.user.id },
      });
      media.addProducer(producerId, kind);
      await this.#tellOthers(appointmentId, actor.socketId, (io) =>
        io.emit('media:new-producer', {
          appointmentId,
          producer: { producerId, participantId: actor.user.id, kind },
        }),
      );
      return { producerId };
    });
  }

  consume(
    actor: RoomActor,
    { appointmentId, producerId, rtpCapabilities, preferredLayers }: Request<'media:consume'>,
  ) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      const transportId = media.receiveTransport();
      // Another participant's producer in this room: the SFU looks it up in this room only, so no other
      // room's producer can be reached; consuming one's own is refused here.
      if (media.producers.has(producerId)) {
        throw new AppError('MEDIA_NOT_FOUND', 'A participant does not consume their own producer.');
      }
      const consumer = await room.node
        .call('consume', { roomId: appointmentId, transportId, producerId, rtpCapabilities, preferredLayers })
        .catch(notFoundAs('producer'));
      media.addConsumer(consumer.consumerId, { producerId, transportId });
      return { ...consumer, transportId };
    });
  }

  resumeConsumer(actor: RoomActor, { appointmentId, consumerId }: Request<'media:resume-consumer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertConsumer(consumerId);
      await room.node
        .call('resumeConsumer', { roomId: appointmentId, consumerId })
        .catch(notFoundAs('consumer'));
      return { done: true as const };
    });
  }

  setPreferredLayers(
    actor: RoomActor,
    { appointmentId, consumerId, spatialLayer, temporalLayer }: Request<'media:set-preferred-layers'>,
  ) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertConsumer(consumerId);
      await room.node
        .call('setConsumerPreferredLayers', {
          roomId: appointmentId,
          consumerId,
          spatialLayer,
          temporalLayer,
        })
        .catch(notFoundAs('consumer'));
      return { done: true as const };
    });
  }

  pauseProducer(actor: RoomActor, { appointmentId, producerId }: Request<'media:pause-producer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertProducer(producerId);
      await room.node
        .call('pauseProducer', { roomId: appointmentId, producerId })
        .catch(notFoundAs('producer'));
      return { done: true as const };
    });
  }

  resumeProducer(actor: RoomActor, { appointmentId, producerId }: Request<'media:resume-producer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertProducer(producerId);
      await room.node
        .call('resumeProducer', { roomId: appointmentId, producerId })
        .catch(notFoundAs('producer'));
      return { done: true as const };
    });
  }

  closeProducer(actor: RoomActor, { appointmentId, producerId }: Request<'media:close-producer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertProducer(producerId);
      await room.node
        .call('closeProducer', { roomId: appointmentId, producerId })
        .catch(notFoundAs('producer'));
      if (media.producerClosed(producerId)) {
        await this.#tellProducerClosed(appointmentId, producerId, actor.user.id);
      }
      return { done: true as const };
    });
  }

  restartIce(actor: RoomActor, { appointmentId, transportId }: Request<'media:restart-ice'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertTransport(transportId);
      return room.node
        .call('restartIce', { roomId: appointmentId, transportId })
        .catch(notFoundAs('transport'));
    });
  }

  /** Stops following the SFU nodes' events and scores (at shutdown). Media closes with the participants. */
  close(): void {
    for (const pump of this.#pumps.values()) pump.stop();
    this.#pumps.clear();
    this.#scores.stop();
  }

  /** An SFU event, from the pump of the node it happened on, told to the browsers it concerns. */
  #onSfuEvent(event: SfuEvent, node: SfuNode): void {
    const room = this.#rooms.get(event.roomId);
    if (!room || room.node !== node) return;
    const { io } = this.#options;
    const appointmentId = event.roomId;
    switch (event.type) {
      case 'consumerclose': {
        const owner = room.consumerOwner(event.consumerId);
        if (owner?.consumerClosed(event.consumerId)) {
          io.to(owner.socketId).emit('media:consumer-closed', {
            appointmentId,
            consumerId: event.consumerId,
            reason: event.reason,
          });
        }
        return;
      }
      case 'producerclose': {
        const owner = room.producerOwner(event.producerId);
        if (owner?.producerClosed(event.producerId)) {
          void this.#tellProducerClosed(appointmentId, event.producerId, owner.participantId);
        }
        return;
      }
      case 'transportclose':
        for (const media of room.participants()) media.transportClosed(event.transportId);
        return;
      case 'layerschange': {
        const owner = room.consumerOwner(event.consumerId);
        if (owner) {
          io.to(owner.socketId).emit('media:layers-changed', {
            appointmentId,
            consumerId: event.consumerId,
            layers: event.layers,
          });
        }
        return;
      }
      case 'roomclose':
        // The router is gone (closed by us, or the SFU restarted): the next media request places it again.
        if (this.#rooms.get(appointmentId) === room) this.#rooms.delete(appointmentId);
        return;
      case 'activespeaker':
        return;
    }
  }

  async #participantGone(appointmentId: string, participantId: string, socketId: string): Promise<void> {
    const room = this.#rooms.get(appointmentId);
    if (!room) return;
    const gone = await room.removeParticipant(participantId, socketId);
    // Its producers closed with its transports; the others hear it now rather than from the SFU's log, as
    // the closed participant is no longer there to be found as their owner.
    for (const producerId of gone?.closedProducers ?? []) {
      await this.#tellProducerClosed(appointmentId, producerId, participantId);
    }
  }

  async #tellProducerClosed(appointmentId: string, producerId: string, participantId: string): Promise<void> {
    await this.#tellOthers(appointmentId, undefined, (io) =>
      io.emit('media:producer-closed', { appointmentId, producerId, participantId }),
    );
  }

  /** Sends to every joined participant's socket but `exceptSocketId`: waiting ones take no part in media. */
  async #tellOthers(
    appointmentId: string,
    exceptSocketId: string | undefined,
    send: (to: ReturnType<SignalingIo['to']>) => void,
  ): Promise<void> {
    const stored = await this.#options.store.get(appointmentId);
    const socketIds = joinedSockets(stored).filter((id) => id !== exceptSocketId);
    if (socketIds.length > 0) send(this.#options.io.to(socketIds));
  }

  /** Media work of the caller's own, in a room where they already have media. */
  #mine<T>(
    actor: RoomActor,
    appointmentId: string,
    work: (media: ParticipantMedia, room: RoomMedia) => Promise<T>,
  ): Promise<T> {
    return this.#forParticipant(appointmentId, actor.user.id, async () => {
      await this.#assertJoined(actor, appointmentId);
      const room = this.#rooms.get(appointmentId);
      const media = room?.get(actor.user.id);
      if (!room || !media || media.socketId !== actor.socketId || media.closed) {
        throw new AppError('MEDIA_OUT_OF_ORDER', 'Create a send or receive transport first.');
      }
      return work(media, room);
    });
  }

  #forParticipant<T>(appointmentId: string, participantId: string, work: () => Promise<T>): Promise<T> {
    return this.#serializer.run(`${appointmentId}/${participantId}`, work);
  }

  /** Media is for participants the specialist admitted, through the socket that holds their place. */
  async #assertJoined(actor: RoomActor, appointmentId: string): Promise<void> {
    const stored = await this.#options.store.get(appointmentId);
    const participant = stored?.participants.find(
      (p) => p.participantId === actor.user.id && p.socketId === actor.socketId,
    );
    if (!participant) throw new AppError('ROOM_NOT_JOINED');
    if (participant.status !== 'joined') {
      throw new AppError(
        'ROOM_NOT_JOINED',
        'Media starts once the specialist admits you; wait to be admitted.',
      );
    }
  }

  /** The room's router: on the least-loaded SFU node when the room first needs media, then there for good. */
  #roomMedia(appointmentId: string): Promise<RoomMedia> {
    const existing = this.#rooms.get(appointmentId);
    if (existing && !existing.closed) return Promise.resolve(existing);
    const placing = this.#placing.get(appointmentId);
    if (placing) return placing;
    const placed = (async () => {
      const node = await this.#nodeOf(appointmentId);
      this.#pumpOf(node).start();
      this.#scores.start();
      const { rtpCapabilities } = await node.call('createRoom', { roomId: appointmentId });
      const room = new RoomMedia(appointmentId, node, rtpCapabilities);
      this.#rooms.set(appointmentId, room);
      return room;
    })().finally(() => this.#placing.delete(appointmentId));
    this.#placing.set(appointmentId, placed);
    return placed;
  }

  /** The node the room is placed on (by any signaling node), or the least-loaded one, claimed for it. */
  async #nodeOf(appointmentId: string): Promise<SfuNode> {
    const { nodes } = this.#options;
    const placed = await this.#placements.get(appointmentId);
    const existing = placed === undefined ? undefined : nodes.byUrl(placed);
    if (existing) return existing;
    // Placed on a node no longer in SFU_URLS (a changed configuration): placed again.
    if (placed !== undefined) await this.#placements.release(appointmentId);
    const chosen = await nodes.choose();
    return nodes.byUrl(await this.#placements.claim(appointmentId, chosen.url)) ?? chosen;
  }

  #pumpOf(node: SfuNode): SfuEventPump {
    let pump = this.#pumps.get(node.url);
    if (!pump) {
      pump = new SfuEventPump(node, (event, from) => this.#onSfuEvent(event, from), this.#options.logger);
      this.#pumps.set(node.url, pump);
    }
    return pump;
  }
}

function joinedSockets(room: StoredRoom | undefined): string[] {
  return (room?.participants ?? []).filter((p) => p.status === 'joined').map((p) => p.socketId);
}

/** The SFU's NOT_FOUND for an id the caller named becomes the media refusal a browser can act on. */
function notFoundAs(what: string) {
  return (error: unknown): never => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw new AppError('MEDIA_NOT_FOUND', `This ${what} does not exist in this room, or it is closed.`);
    }
    throw error;
  };
}
