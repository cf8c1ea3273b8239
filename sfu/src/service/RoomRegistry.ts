import { availableParallelism } from 'node:os';
import {
  AppError,
  type SfuControlMethod,
  type SfuControlParsedRequest,
  type SfuControlResponse,
  type SfuLoad,
} from '@telemed/shared';
import type { Logger } from 'pino';
import type { AudioLevelObserver } from '../engine/AudioLevelObserver.js';
import type { Consumer } from '../engine/Consumer.js';
import type { MediaEngine } from '../engine/MediaEngine.js';
import type { Producer } from '../engine/Producer.js';
import type { Router } from '../engine/Router.js';
import type { WebRtcTransport } from '../engine/WebRtcTransport.js';
import type { Worker } from '../engine/Worker.js';
import { EventLog } from './EventLog.js';
import { turnIceServers } from './turnCredentials.js';

export interface RoomRegistryOptions {
  engine: MediaEngine;
  workers: Worker[];
  listenIp: string;
  announcedIp: string | undefined;
  /** Audio-only fallback threshold of every transport's video consumers (the engine's default when omitted). */
  minVideoBitrate?: number;
  /** Start value of every transport's outgoing bandwidth estimate (the engine's default when omitted). */
  initialOutgoingBitrate?: number;
  turnUrls: string[] | undefined;
  turnSecret: string | undefined;
  logger: Logger;
}

interface Room {
  id: string;
  worker: Worker;
  router: Router;
  transports: Map<string, WebRtcTransport>;
  producers: Map<string, Producer>;
  consumers: Map<string, Consumer>;
  /** The transport each producer and consumer was made on, for `describeTransports`. */
  carriedBy: Map<string, string>;
  audioLevelObserver: AudioLevelObserver;
}

type Req<M extends SfuControlMethod> = SfuControlParsedRequest<M>;

/** Rooms (one router each) and everything in them; the control API's methods are its methods. */
export class RoomRegistry {
  readonly events = new EventLog();
  readonly #rooms = new Map<string, Room>();
  readonly #pending = new Map<string, Promise<Room>>();
  readonly #options: RoomRegistryOptions;
  #lastCpu = process.cpuUsage();
  #lastCpuAt = performance.now();
  #cpu = 0;

  constructor(options: RoomRegistryOptions) {
    this.#options = options;
  }

  get engineName() {
    return this.#options.engine.name;
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Engine objects of a room, for tests that reach below the control API (e.g. the packet-drop hook). */
  transportOf(roomId: string, transportId: string): WebRtcTransport | undefined {
    return this.#rooms.get(roomId)?.transports.get(transportId);
  }

  #room(roomId: string): Room {
    const room = this.#rooms.get(roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND', `Room ${roomId} does not exist on this SFU`);
    return room;
  }

  #pickWorker(): Worker {
    const alive = this.#options.workers.filter((w) => !w.closed && !w.died);
    if (alive.length === 0) throw new AppError('SERVICE_UNAVAILABLE', 'No media worker is running');
    const load = new Map<Worker, number>(alive.map((w) => [w, 0]));
    for (const room of this.#rooms.values()) load.set(room.worker, (load.get(room.worker) ?? 0) + 1);
    return alive.reduce((best, w) => ((load.get(w) ?? 0) < (load.get(best) ?? 0) ? w : best));
  }

  async createRoom({ roomId }: Req<'createRoom'>): Promise<SfuControlResponse<'createRoom'>> {
    const existing = this.#rooms.get(roomId);
    if (existing) return { roomId, created: false, rtpCapabilities: existing.router.rtpCapabilities };
    let pending = this.#pending.get(roomId);
    const created = !pending;
    if (!pending) {
      pending = this.#createRoom(roomId);
      this.#pending.set(roomId, pending);
      pending.finally(() => this.#pending.delete(roomId)).catch(() => undefined);
    }
    const room = await pending;
    return { roomId, created, rtpCapabilities: room.router.rtpCapabilities };
  }

  async #createRoom(roomId: string): Promise<Room> {
    const worker = this.#pickWorker();
    const router = await worker.createRouter({ appData: { roomId } });
    const audioLevelObserver = await router.createAudioLevelObserver({
      maxEntries: 1,
      threshold: -70,
      interval: 800,
    });
    const room: Room = {
      id: roomId,
      worker,
      router,
      transports: new Map(),
      producers: new Map(),
      consumers: new Map(),
      carriedBy: new Map(),
      audioLevelObserver,
    };
    audioLevelObserver.on('dominantspeaker', (producer) =>
      this.events.push({ type: 'activespeaker', roomId, producerId: producer.id }),
    );
    router.on('workerclose', () => this.#forgetRoom(room));
    this.#rooms.set(roomId, room);
    this.#options.logger.info({ roomId }, 'room created');
    return room;
  }

  #forgetRoom(room: Room): void {
    if (this.#rooms.get(room.id) !== room) return;
    this.#rooms.delete(room.id);
    this.events.push({ type: 'roomclose', roomId: room.id });
    this.#options.logger.info({ roomId: room.id }, 'room closed');
  }

  async closeRoom({ roomId }: Req<'closeRoom'>): Promise<SfuControlResponse<'closeRoom'>> {
    const room = this.#rooms.get(roomId);
    if (!room) return { closed: false };
    room.router.close();
    this.#forgetRoom(room);
    return { closed: true };
  }

  async getRouterRtpCapabilities({ roomId }: Req<'getRouterRtpCapabilities'>) {
    return { rtpCapabilities: this.#room(roomId).router.rtpCapabilities };
  }

  async createWebRtcTransport({
    roomId,
    direction,
    appData,
  }: Req<'createWebRtcTransport'>): Promise<SfuControlResponse<'createWebRtcTransport'>> {
    const room = this.#room(roomId);
    const transport = await room.router.createWebRtcTransport({
      listenIp: this.#options.listenIp,
      ...(this.#options.announcedIp ? { announcedIp: this.#options.announcedIp } : {}),
      ...(this.#options.minVideoBitrate ? { minVideoBitrate: this.#options.minVideoBitrate } : {}),
      ...(this.#options.initialOutgoingBitrate
        ? { initialAvailableOutgoingBitrate: this.#options.initialOutgoingBitrate }
        : {}),
      appData: { ...(appData ?? {}), direction },
    });
    room.transports.set(transport.id, transport);
    let reported = false;
    const gone = (reason: string) => {
      if (reported) return;
      reported = true;
      room.transports.delete(transport.id);
      this.events.push({ type: 'transportclose', roomId, transportId: transport.id, reason });
    };
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') gone(`dtls ${state}`);
    });
    transport.on('routerclose', () => gone('router closed'));
    return {
      transportId: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: turnIceServers({
        urls: this.#options.turnUrls,
        secret: this.#options.turnSecret,
        label: roomId,
      }),
    };
  }

  #transport(roomId: string, transportId: string): WebRtcTransport {
    const transport = this.#room(roomId).transports.get(transportId);
    if (!transport)
      throw new AppError('NOT_FOUND', `Transport ${transportId} does not exist in room ${roomId}`);
    return transport;
  }

  async connectWebRtcTransport({ roomId, transportId, dtlsParameters }: Req<'connectWebRtcTransport'>) {
    await this.#transport(roomId, transportId).connect({ dtlsParameters });
    return {};
  }

  async restartIce({ roomId, transportId }: Req<'restartIce'>) {
    return { iceParameters: await this.#transport(roomId, transportId).restartIce() };
  }

  async setMaxIncomingBitrate({ roomId, transportId, bitrate }: Req<'setMaxIncomingBitrate'>) {
    await this.#transport(roomId, transportId).setMaxIncomingBitrate(bitrate);
    return {};
  }

  async closeTransport({ roomId, transportId }: Req<'closeTransport'>) {
    const transport = this.#transport(roomId, transportId);
    transport.close();
    this.#room(roomId).transports.delete(transportId);
    this.events.push({ type: 'transportclose', roomId, transportId, reason: 'closed' });
    return {};
  }

  async produce({ roomId, transportId, kind, rtpParameters, paused, appData }: Req<'produce'>) {
    const room = this.#room(roomId);
    const producer = await this.#transport(roomId, transportId).produce({
      kind,
      rtpParameters,
      paused: paused ?? false,
      appData: appData ?? {},
    });
    room.producers.set(producer.id, producer);
    room.carriedBy.set(producer.id, transportId);
    producer.observer.on('close', () => {
      room.producers.delete(producer.id);
      room.carriedBy.delete(producer.id);
      this.events.push({ type: 'producerclose', roomId, producerId: producer.id });
    });
    if (kind === 'audio')
      await room.audioLevelObserver.addProducer({ producerId: producer.id }).catch(() => undefined);
    return { producerId: producer.id };
  }

  #producer(roomId: string, producerId: string): Producer {
    const producer = this.#room(roomId).producers.get(producerId);
    if (!producer) throw new AppError('NOT_FOUND', `Producer ${producerId} does not exist in room ${roomId}`);
    return producer;
  }

  async pauseProducer({ roomId, producerId }: Req<'pauseProducer'>) {
    await this.#producer(roomId, producerId).pause();
    return {};
  }
  async resumeProducer({ roomId, producerId }: Req<'resumeProducer'>) {
    await this.#producer(roomId, producerId).resume();
    return {};
  }
  async closeProducer({ roomId, producerId }: Req<'closeProducer'>) {
    this.#producer(roomId, producerId).close();
    return {};
  }

  async consume({ roomId, transportId, producerId, rtpCapabilities, preferredLayers }: Req<'consume'>) {
    const room = this.#room(roomId);
    const transport = this.#transport(roomId, transportId);
    const producer = this.#producer(roomId, producerId);
    if (!room.router.canConsume({ producerId, rtpCapabilities })) {
      throw new AppError('UNPROCESSABLE', `These RTP capabilities cannot receive producer ${producerId}`);
    }
    const consumer = await transport.consume({
      producerId,
      rtpCapabilities,
      paused: true,
      ...(preferredLayers ? { preferredLayers } : {}),
    });
    room.consumers.set(consumer.id, consumer);
    room.carriedBy.set(consumer.id, transportId);
    let reason: 'producerclose' | 'transportclose' | 'closed' = 'closed';
    consumer.on('producerclose', () => {
      reason = 'producerclose';
    });
    consumer.on('transportclose', () => {
      reason = 'transportclose';
    });
    consumer.observer.on('close', () => {
      room.consumers.delete(consumer.id);
      room.carriedBy.delete(consumer.id);
      // The close observer fires before the reason event; read it once the cascade settles.
      queueMicrotask(() =>
        this.events.push({ type: 'consumerclose', roomId, consumerId: consumer.id, reason }),
      );
    });
    consumer.on('layerschange', (layers) =>
      this.events.push({
        type: 'layerschange',
        roomId,
        consumerId: consumer.id,
        layers: layers
          ? {
              spatialLayer: layers.spatialLayer,
              ...(layers.temporalLayer !== undefined ? { temporalLayer: layers.temporalLayer } : {}),
            }
          : null,
      }),
    );
    consumer.on('bandwidthpausechange', (change) =>
      this.events.push({
        type: 'consumerbandwidth',
        roomId,
        consumerId: consumer.id,
        producerId,
        paused: change.paused,
        ...(change.availableBitrate !== undefined ? { availableBitrate: change.availableBitrate } : {}),
        ...(change.requiredBitrate !== undefined ? { requiredBitrate: change.requiredBitrate } : {}),
      }),
    );
    return {
      consumerId: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      type: consumer.type,
      producerPaused: producer.paused,
    };
  }

  #consumer(roomId: string, consumerId: string): Consumer {
    const consumer = this.#room(roomId).consumers.get(consumerId);
    if (!consumer) throw new AppError('NOT_FOUND', `Consumer ${consumerId} does not exist in room ${roomId}`);
    return consumer;
  }

  async pauseConsumer({ roomId, consumerId }: Req<'pauseConsumer'>) {
    await this.#consumer(roomId, consumerId).pause();
    return {};
  }
  async resumeConsumer({ roomId, consumerId }: Req<'resumeConsumer'>) {
    await this.#consumer(roomId, consumerId).resume();
    return {};
  }
  async closeConsumer({ roomId, consumerId }: Req<'closeConsumer'>) {
    this.#consumer(roomId, consumerId).close();
    return {};
  }
  async setConsumerPreferredLayers({
    roomId,
    consumerId,
    spatialLayer,
    temporalLayer,
  }: Req<'setConsumerPreferredLayers'>) {
    await this.#consumer(roomId, consumerId).setPreferredLayers({
      spatialLayer,
      ...(temporalLayer !== undefined ? { temporalLayer } : {}),
    });
    return {};
  }
  async requestConsumerKeyFrame({ roomId, consumerId }: Req<'requestConsumerKeyFrame'>) {
    await this.#consumer(roomId, consumerId).requestKeyFrame();
    return {};
  }

  async getRoomStats({ roomId }: Req<'getRoomStats'>): Promise<SfuControlResponse<'getRoomStats'>> {
    const room = this.#room(roomId);
    const transports = await Promise.all(
      [...room.transports.values()].map(async (t) => {
        const [s] = await t.getStats();
        return {
          transportId: t.id,
          iceState: t.iceState,
          dtlsState: t.dtlsState,
          bytesReceived: s?.bytesReceived ?? 0,
          bytesSent: s?.bytesSent ?? 0,
          ...(s?.availableOutgoingBitrate !== undefined
            ? { availableOutgoingBitrate: s.availableOutgoingBitrate }
            : {}),
        };
      }),
    );
    const producers = await Promise.all(
      [...room.producers.values()].map(async (p) => ({
        producerId: p.id,
        kind: p.kind,
        paused: p.paused,
        streams: (await p.getStats()).map((s) => ({
          ssrc: s.ssrc,
          ...(s.rid ? { rid: s.rid } : {}),
          packetsReceived: s.packetCount,
          packetsLost: s.packetsLost,
          bitrate: s.bitrate,
          nackCount: s.nackCount,
          pliCount: s.pliCount,
          score: s.score,
        })),
      })),
    );
    const consumers = await Promise.all(
      [...room.consumers.values()].map(async (c) => {
        const [s] = await c.getStats();
        return {
          consumerId: c.id,
          producerId: c.producerId,
          kind: c.kind,
          paused: c.paused,
          ssrc: s?.ssrc ?? 0,
          packetsSent: s?.packetCount ?? 0,
          retransmittedPackets: s?.retransmittedPackets ?? 0,
          nackCount: s?.nackCount ?? 0,
          pliCount: s?.pliCount ?? 0,
          currentLayers: c.currentLayers ? { spatialLayer: c.currentLayers.spatialLayer } : null,
          score: c.score.score,
        };
      }),
    );
    return { transports, producers, consumers };
  }

  async describeTransports({
    roomId,
    transportIds,
  }: Req<'describeTransports'>): Promise<SfuControlResponse<'describeTransports'>> {
    const room = this.#room(roomId);
    const transports = transportIds.flatMap((transportId) => {
      const transport = room.transports.get(transportId);
      if (!transport || transport.closed) return [];
      const on = (id: string) => room.carriedBy.get(id) === transportId;
      const { direction, participantId } = transport.appData;
      return [
        {
          transportId,
          direction: direction === 'send' ? ('send' as const) : ('recv' as const),
          ...(typeof participantId === 'string' ? { participantId } : {}),
          producers: [...room.producers.values()]
            .filter((p) => on(p.id))
            .map((p) => ({ producerId: p.id, kind: p.kind })),
          consumers: [...room.consumers.values()]
            .filter((c) => on(c.id))
            .map((c) => ({ consumerId: c.id, producerId: c.producerId, kind: c.kind })),
        },
      ];
    });
    return { transports };
  }

  async getLoad(): Promise<SfuLoad> {
    let transports = 0;
    let producers = 0;
    let consumers = 0;
    let inBps = 0;
    let outBps = 0;
    for (const room of this.#rooms.values()) {
      transports += room.transports.size;
      producers += room.producers.size;
      consumers += room.consumers.size;
      for (const t of room.transports.values()) {
        const [s] = await t.getStats();
        inBps += s?.recvBitrate ?? 0;
        outBps += s?.sendBitrate ?? 0;
      }
    }
    const now = performance.now();
    if (now - this.#lastCpuAt >= 500) {
      const used = process.cpuUsage(this.#lastCpu);
      this.#cpu = (used.user + used.system) / 1000 / (now - this.#lastCpuAt);
      this.#lastCpu = process.cpuUsage();
      this.#lastCpuAt = now;
    }
    let rssBytes = process.memoryUsage().rss;
    if (this.#options.engine.name === 'mediasoup') {
      // mediasoup's workers are separate processes: add their memory to ours.
      for (const w of this.#options.workers)
        rssBytes += (await w.getResourceUsage().catch(() => undefined))?.rssBytes ?? 0;
    }
    return {
      engine: this.#options.engine.name,
      rooms: this.#rooms.size,
      transports,
      producers,
      consumers,
      bitrate: { inBps, outBps },
      cpu: Math.round(this.#cpu * 1000) / 1000,
      cores: availableParallelism(),
      rssBytes,
    };
  }

  async pollEvents({ afterSeq, waitMs }: Req<'pollEvents'>) {
    const events = await this.events.poll(afterSeq, waitMs ?? 0);
    return { events, lastSeq: this.events.lastSeq };
  }

  /** Closes every room (routers, transports, producers, consumers). */
  closeAll(): void {
    for (const room of [...this.#rooms.values()]) {
      room.router.close();
      this.#forgetRoom(room);
    }
    this.events.wakeAll();
  }
}
