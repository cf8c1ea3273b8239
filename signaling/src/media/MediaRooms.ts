import type { Logger } from '@telemed/service-kit';
import {
  AppError,
  defaultMediaSource,
  type SfuEvent,
  type SignalingAck,
  type SignalingParsedRequest,
  type SignalingRequestName,
} from '@telemed/shared';
import type { RoomActor, StoredParticipant, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import { KeyedSerializer } from '../rooms/KeyedSerializer.js';
import type { Participant } from '../rooms/Participant.js';
import type { RoomStateStore } from '../rooms/RoomStateStore.js';
import type { SignalingIo } from '../signalingSocket.js';
import { InMemorySfuPlacementStore } from './InMemorySfuPlacementStore.js';
import { MediaScoreWatch } from './MediaScoreWatch.js';
import { type MediaItem, mediaItemNames } from './mediaItemNames.js';
import { ignoreGone, type ParticipantMedia } from './ParticipantMedia.js';
import { RoomMedia } from './RoomMedia.js';
import { SfuEventPump } from './SfuEventPump.js';
import type { SfuNode, SfuNodes } from './SfuNodes.js';
import type { SfuPlacementStore } from './SfuPlacementStore.js';
import {
  type MediaHolder,
  mediaOf,
  producersOfOthers,
  SharedMediaIds,
  type TakenMedia,
} from './SharedMediaIds.js';

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
 *
 * The two participants may be on different signaling nodes, and a node may die: each participant's media ids
 * are kept in the shared room state (`SharedMediaIds`) as well as in this node's `RoomMedia`, so that any node
 * can offer a participant's producers, and whoever removes a participant closes its media by id.
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
  readonly #ids: SharedMediaIds;
  /** Closes and notices under way, which `close` lets finish at shutdown. */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: MediaRoomsOptions) {
    this.#options = options;
    this.#placements = options.placements ?? new InMemorySfuPlacementStore();
    this.#ids = new SharedMediaIds(options.store);
    this.#scores = new MediaScoreWatch(
      () => this.#rooms.values(),
      options.io,
      options.logger,
      options.scoreIntervalMs,
    );
  }

  /** Room hook: a participant's socket entered a room on this node; this node's view of its media goes with it. */
  participantEntered(participant: Participant): void {
    const { appointmentId, participantId, socketId } = participant;
    participant.onClose(() => {
      this.#inBackground(
        this.#forParticipant(appointmentId, participantId, () =>
          this.#participantGone(appointmentId, { participantId, socketId }),
        ),
        appointmentId,
        'closing a participant’s media failed',
      );
    });
  }

  /**
   * Room hook: a participant's place went from the shared state (left, lost, swept after its node died, or
   * taken by its newer socket). Its transports are closed by the ids stored with it, whichever node made them
   * (closing a transport closes its producers and consumers), and the others are told its producers closed.
   */
  participantRemoved(appointmentId: string, participant: StoredParticipant): void {
    this.#inBackground(
      this.#closeTaken(appointmentId, participant.participantId, mediaOf(participant)),
      appointmentId,
      'closing a removed participant’s media failed',
    );
  }

  /** Room hook: the consultation room closed (ended, or nobody left): its router closes on the SFU. */
  roomClosed(appointmentId: string): void {
    const room = this.#rooms.get(appointmentId);
    this.#rooms.delete(appointmentId);
    const closing = (async () => {
      if (room) await room.close();
      else {
        // Its media may all have been made through other nodes: the router is found by the room's placement.
        const node = await this.#placedNode(appointmentId);
        await node?.call('closeRoom', { roomId: appointmentId }).catch(ignoreGone);
      }
      await this.#placements.release(appointmentId);
    })();
    this.#inBackground(closing, appointmentId, 'closing a room’s router failed');
  }

  routerCapabilities(
    actor: RoomActor,
    { appointmentId }: Request<'media:router-capabilities'>,
  ): Promise<SignalingAck<'media:router-capabilities'>> {
    return this.#forParticipant(appointmentId, actor.user.id, async () => {
      const stored = await this.#assertJoined(actor, appointmentId);
      const room = await this.#roomMedia(appointmentId);
      room.of(actor.user.id, actor.socketId);
      // From the shared state: the others' producers were made through whichever node their sockets are on.
      return { rtpCapabilities: room.rtpCapabilities, producers: producersOfOthers(stored, actor.user.id) };
    });
  }

  createTransport(
    actor: RoomActor,
    { appointmentId, direction }: Request<'media:create-transport'>,
  ): Promise<SignalingAck<'media:create-transport'>> {
    return this.#forParticipant(appointmentId, actor.user.id, async () => {
      await this.#assertJoined(actor, appointmentId);
      const room = await this.#roomMedia(appointmentId);
      const media = room.of(actor.user.id, actor.socketId);
      const transport = await room.node.call('createWebRtcTransport', {
        roomId: appointmentId,
        direction,
        appData: { participantId: actor.user.id },
      });
      const { transportId } = transport;
      await keptOrUndone(
        () => this.#ids.addTransport(appointmentId, holderOf(actor), transportId),
        () => room.node.call('closeTransport', { roomId: appointmentId, transportId }).catch(ignoreGone),
      );
      media.addTransport(transportId, direction);
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
      const source = appData?.source ?? defaultMediaSource(kind);
      await keptOrUndone(
        () => this.#ids.addProducer(appointmentId, holderOf(actor), { producerId, kind, source }),
        () => room.node.call('closeProducer', { roomId: appointmentId, producerId }).catch(ignoreGone),
      );
      media.addProducer(producerId, kind);
      await this.#tellOthers(appointmentId, actor.socketId, (io) =>
        io.emit('media:new-producer', {
          appointmentId,
          producer: { producerId, participantId: actor.user.id, kind, source },
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
        throw new AppError('MEDIA_NOT_FOUND', {
          en: 'A participant does not consume their own producer.',
          ar: 'لا يستقبل المشارك البث الذي يرسله هو.',
        });
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

  /** The others learn why (`media:producer-paused`): a camera turned off is not a weak uplink. */
  pauseProducer(actor: RoomActor, { appointmentId, producerId, reason }: Request<'media:pause-producer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertProducer(producerId);
      await room.node
        .call('pauseProducer', { roomId: appointmentId, producerId })
        .catch(notFoundAs('producer'));
      await this.#tellOthers(appointmentId, media.socketId, (io) =>
        io.emit('media:producer-paused', {
          appointmentId,
          producerId,
          participantId: actor.user.id,
          paused: true,
          reason: reason ?? 'user',
        }),
      );
      return { done: true as const };
    });
  }

  resumeProducer(actor: RoomActor, { appointmentId, producerId }: Request<'media:resume-producer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertProducer(producerId);
      await room.node
        .call('resumeProducer', { roomId: appointmentId, producerId })
        .catch(notFoundAs('producer'));
      await this.#tellOthers(appointmentId, media.socketId, (io) =>
        io.emit('media:producer-paused', {
          appointmentId,
          producerId,
          participantId: actor.user.id,
          paused: false,
        }),
      );
      return { done: true as const };
    });
  }

  closeProducer(actor: RoomActor, { appointmentId, producerId }: Request<'media:close-producer'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertProducer(producerId);
      await room.node
        .call('closeProducer', { roomId: appointmentId, producerId })
        .catch(notFoundAs('producer'));
      media.producerClosed(producerId);
      // The SFU's producerclose event may have taken it out first: then that told the room.
      if (await this.#ids.removeProducer(appointmentId, media, producerId)) {
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

  /**
   * The browser gives a transport up (its ICE restart did not bring media back) before making a new one. Closing
   * it on the SFU closes its producers and consumers; the SFU's events then tell the others the producers closed.
   */
  closeTransport(actor: RoomActor, { appointmentId, transportId }: Request<'media:close-transport'>) {
    return this.#mine(actor, appointmentId, async (media, room) => {
      media.assertTransport(transportId);
      await room.node.call('closeTransport', { roomId: appointmentId, transportId }).catch(ignoreGone);
      return { done: true as const };
    });
  }

  /**
   * The caller's socket came back through this node (`room:join` with `resume`: its old node died) and the room
   * kept its media ids for it. The transports, producers and consumers that the shared state names as the
   * caller's and that the SFU still holds, made for this very user, are adopted here as they are: nothing is
   * made again, so media never stops (LiveKit's resume rather than its full reconnect). When the SFU no longer
   * holds them all, what is left is closed (the others are told of the producers) and the browser makes its
   * media anew. Either way the answer lists the others' producers now, for those missed while away.
   */
  resume(
    actor: RoomActor,
    { appointmentId }: Request<'media:resume'>,
  ): Promise<SignalingAck<'media:resume'>> {
    return this.#forParticipant(appointmentId, actor.user.id, async () => {
      const stored = await this.#assertJoined(actor, appointmentId);
      const producers = producersOfOthers(stored, actor.user.id);
      const self = stored.participants.find((p) => p.participantId === actor.user.id)!;
      const mine = mediaOf(self);
      if (mine.transportIds.length === 0) return { resumed: false, producers };
      const room = await this.#roomMedia(appointmentId);
      const held = await room.node
        .call('describeTransports', { roomId: appointmentId, transportIds: mine.transportIds })
        .then(({ transports }) => transports)
        .catch(() => []);
      const heldProducers = new Set(held.flatMap((t) => t.producers.map((p) => p.producerId)));
      const whole =
        held.length === mine.transportIds.length &&
        held.every((t) => t.participantId === actor.user.id) &&
        mine.producers.every((p) => heldProducers.has(p.producerId));
      if (!whole) {
        const taken = await this.#ids.takeAll(appointmentId, holderOf(actor));
        if (taken) await this.#closeTaken(appointmentId, actor.user.id, taken);
        this.#options.logger.warn({ appointmentId }, 'media could not be resumed: the browser makes it anew');
        return { resumed: false, producers };
      }
      const media = room.of(actor.user.id, actor.socketId);
      for (const transport of held) {
        media.addTransport(transport.transportId, transport.direction);
        for (const producer of transport.producers) media.addProducer(producer.producerId, producer.kind);
        for (const { consumerId, producerId } of transport.consumers) {
          media.addConsumer(consumerId, { producerId, transportId: transport.transportId });
        }
      }
      return { resumed: true, producers };
    });
  }

  /**
   * An SFU node stopped answering (its event pump's polls fail): every room of this node's placed there loses
   * its router, its transports, producers and consumers at once. Each is placed again (the next media request
   * claims the least-loaded node that answers) and everyone joined in it is told to set media up again. The
   * room's participants, and all it stored in records, are untouched: only media ids go.
   */
  sfuNodeLost(node: SfuNode): void {
    for (const room of [...this.#rooms.values()]) {
      if (room.node !== node) continue;
      this.#rooms.delete(room.appointmentId);
      room.forgetAll();
      this.#inBackground(
        this.#replace(room.appointmentId, node),
        room.appointmentId,
        're-placing a room whose SFU node was lost failed',
      );
    }
  }

  async #replace(appointmentId: string, lost: SfuNode): Promise<void> {
    // Every signaling node with a socket in the room notices; the first to get the lock clears and tells.
    const reset = await this.#ids.resetRoomIf(appointmentId, async () => {
      if ((await this.#placements.get(appointmentId)) !== lost.url) return false;
      await this.#placements.release(appointmentId);
      return true;
    });
    if (!reset) return;
    this.#options.logger.warn({ appointmentId, url: lost.url }, 'SFU node lost: room media reset');
    await this.#tellOthers(appointmentId, undefined, (io) =>
      io.emit('media:reset', { appointmentId, reason: 'sfu-node-lost' }),
    );
  }

  /**
   * Stops following the SFU nodes' events and scores (at shutdown), once the closes under way (those of the
   * participants who just left) are done. Media closes with the participants.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
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
        // Only the owner's node acts on it: it alone knows whose it is without reading every room.
        const owner = room.producerOwner(event.producerId);
        if (!owner?.producerClosed(event.producerId)) return;
        const told = (async () => {
          if (await this.#ids.removeProducer(appointmentId, owner, event.producerId)) {
            await this.#tellProducerClosed(appointmentId, event.producerId, owner.participantId);
          }
        })();
        this.#inBackground(told, appointmentId, 'telling a closed producer failed');
        return;
      }
      case 'transportclose':
        for (const media of room.participants()) {
          if (media.transportClosed(event.transportId)) {
            this.#inBackground(
              this.#ids.removeTransport(appointmentId, media, event.transportId),
              appointmentId,
              'forgetting a closed transport failed',
            );
          }
        }
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
      case 'consumerbandwidth': {
        // Each node tells its own sockets: the viewer owns the consumer, the sender the producer.
        const viewer = room.consumerOwner(event.consumerId);
        if (viewer) {
          const told = (async () => {
            // The producer's owner may be on another node: the shared room state names it.
            const stored = await this.#options.store.get(appointmentId);
            const producer = stored
              ? producersOfOthers(stored, viewer.participantId).find((p) => p.producerId === event.producerId)
              : undefined;
            if (!producer) return;
            io.to(viewer.socketId).emit('media:video-bandwidth', {
              side: 'viewer',
              appointmentId,
              consumerId: event.consumerId,
              producerId: event.producerId,
              participantId: producer.participantId,
              paused: event.paused,
            });
          })();
          this.#inBackground(told, appointmentId, 'telling a bandwidth pause failed');
        }
        const sender = room.producerOwner(event.producerId);
        if (sender) {
          io.to(sender.socketId).emit('media:video-bandwidth', {
            side: 'sender',
            appointmentId,
            producerId: event.producerId,
            paused: event.paused,
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

  /**
   * This node's socket of the participant went. If it still holds its place in the shared state (it came back
   * on another node), its media is taken out here; if the place went, whoever removed it closed its media.
   */
  async #participantGone(appointmentId: string, holder: MediaHolder): Promise<void> {
    this.#rooms.get(appointmentId)?.forget(holder.participantId, holder.socketId);
    const taken = await this.#ids.takeAll(appointmentId, holder);
    if (taken) await this.#closeTaken(appointmentId, holder.participantId, taken);
  }

  /** Closes media taken out of the shared state on the room's SFU node, and tells the room of its producers. */
  async #closeTaken(appointmentId: string, participantId: string, { transportIds, producers }: TakenMedia) {
    if (transportIds.length > 0) {
      const node = await this.#placedNode(appointmentId);
      await Promise.all(
        transportIds.map((transportId) =>
          node?.call('closeTransport', { roomId: appointmentId, transportId }).catch(ignoreGone),
        ),
      );
    }
    for (const { producerId } of producers) {
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
        throw new AppError('MEDIA_OUT_OF_ORDER', {
          en: 'Create a send or receive transport first.',
          ar: 'أنشئ ناقل الإرسال أو الاستقبال أولاً.',
        });
      }
      return work(media, room);
    });
  }

  #forParticipant<T>(appointmentId: string, participantId: string, work: () => Promise<T>): Promise<T> {
    return this.#serializer.run(`${appointmentId}/${participantId}`, work);
  }

  /** Media is for participants the specialist admitted, through the socket that holds their place. */
  async #assertJoined(actor: RoomActor, appointmentId: string): Promise<StoredRoom> {
    const stored = await this.#options.store.get(appointmentId);
    const participant = stored?.participants.find(
      (p) => p.participantId === actor.user.id && p.socketId === actor.socketId,
    );
    if (!participant) throw new AppError('ROOM_NOT_JOINED');
    if (participant.status !== 'joined') {
      throw new AppError('ROOM_NOT_JOINED', {
        en: 'Media starts once the specialist admits you; wait to be admitted.',
        ar: 'يبدأ الصوت والصورة بعد أن يُدخلك الطبيب الاستشاري؛ انتظر حتى يسمح لك بالدخول.',
      });
    }
    return stored as StoredRoom;
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

  /** The SFU node the room's router is on, as this node or any other placed it; undefined if it has none. */
  async #placedNode(appointmentId: string): Promise<SfuNode | undefined> {
    const local = this.#rooms.get(appointmentId);
    if (local) return local.node;
    const placed = await this.#placements.get(appointmentId);
    return placed === undefined ? undefined : this.#options.nodes.byUrl(placed);
  }

  /** Runs `work` without holding up its caller; a failure is logged, and shutdown waits for it. */
  #inBackground(work: Promise<unknown>, appointmentId: string, failure: string): void {
    const tracked = work.catch((error: unknown) =>
      this.#options.logger.error({ err: error, appointmentId }, failure),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #pumpOf(node: SfuNode): SfuEventPump {
    let pump = this.#pumps.get(node.url);
    if (!pump) {
      pump = new SfuEventPump(
        node,
        (event, from) => this.#onSfuEvent(event, from),
        this.#options.logger,
        (lost) => this.sfuNodeLost(lost),
      );
      this.#pumps.set(node.url, pump);
    }
    return pump;
  }
}

function holderOf(actor: RoomActor): MediaHolder {
  return { participantId: actor.user.id, socketId: actor.socketId };
}

/**
 * Media made on the SFU is kept only once its id is in the shared state (else no other node could close it);
 * if the socket gave its place up meanwhile, or the state cannot be written, it is closed again at once.
 */
async function keptOrUndone(record: () => Promise<boolean>, undo: () => Promise<unknown>): Promise<void> {
  let kept = false;
  try {
    kept = await record();
  } finally {
    if (!kept) await undo().catch(() => undefined);
  }
  if (!kept) throw new AppError('ROOM_NOT_JOINED');
}

function joinedSockets(room: StoredRoom | undefined): string[] {
  return (room?.participants ?? []).filter((p) => p.status === 'joined').map((p) => p.socketId);
}

/** The SFU's NOT_FOUND for an id the caller named becomes the media refusal a browser can act on. */
function notFoundAs(what: MediaItem) {
  return (error: unknown): never => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw new AppError('MEDIA_NOT_FOUND', {
        en: `This ${what} does not exist in this room, or it is closed.`,
        ar: `${mediaItemNames[what].ar} غير موجود في هذه الغرفة أو أُغلق؛ أعد إعداد الصوت والصورة.`,
      });
    }
    throw error;
  };
}
