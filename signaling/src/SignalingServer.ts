import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHealthEndpoints,
  createRequestLogger,
  type Logger,
  type ReadinessCheck,
} from '@telemed/service-kit';
import { AppError, type Locale } from '@telemed/shared';
import { Server, type ServerOptions } from 'socket.io';
import type { AccountWatch } from './auth/AccountWatch.js';
import type { TokenVerifier } from './auth/TokenVerifier.js';
import { LiveClinicalData } from './clinical/LiveClinicalData.js';
import type { RecordsClinicalData } from './clinical/RecordsClinicalData.js';
import { SignalingEventDispatcher } from './events/SignalingEventDispatcher.js';
import { roomActorOf, signalingEventHandlers } from './events/signalingEventHandlers.js';
import { GovernanceFeed } from './governance/GovernanceFeed.js';
import { MediaRooms } from './media/MediaRooms.js';
import { NetworkTests } from './media/NetworkTests.js';
import type { SfuNodes } from './media/SfuNodes.js';
import type { SfuPlacementStore } from './media/SfuPlacementStore.js';
import type { RecordsAppointments } from './records/RecordsAppointments.js';
import { ConsultationRooms } from './rooms/ConsultationRooms.js';
import { InMemoryRoomStateStore } from './rooms/InMemoryRoomStateStore.js';
import { isDroppedLink } from './rooms/ReconnectionGrace.js';
import type { RoomStateStore } from './rooms/RoomStateStore.js';
import { GoneParticipantSweeper, type OpenRoomsSource } from './scale/GoneParticipantSweeper.js';
import { channels, type SignalingIo, type SignalingSocket } from './signalingSocket.js';
import { socketLocale } from './socketLocale.js';

export interface SignalingServerOptions {
  verifier: TokenVerifier;
  /** Asks records whether the account behind a token is still accepted, at the handshake and periodically. */
  accounts: AccountWatch;
  /** Records' appointments, asked with each user's own token: who may enter a room, and its status changes. */
  appointments: RecordsAppointments;
  /** Records' consultations, written with each user's own token: chat and vital signs are stored there first. */
  clinicalRecords: RecordsClinicalData;
  /**
   * Socket.IO's connection state recovery window, and how long a dropped socket keeps its room places
   * (SIGNALING_RECOVERY_SECONDS); 2 minutes by default.
   */
  recoveryMs?: number;
  /** The SFU nodes rooms' media is placed on (`SFU_URLS`). */
  sfuNodes: SfuNodes;
  /** Which SFU node each room is on; in this process's memory by default (one node). */
  sfuPlacements?: SfuPlacementStore;
  /** Where rooms' state lives; in this process's memory by default (one node). */
  roomStore?: RoomStateStore;
  /**
   * How Socket.IO reaches sockets on other nodes: the Redis adapter when several nodes share rooms (with
   * `roomStore` on the same Redis); this process's memory by default.
   */
  adapter?: ServerOptions['adapter'];
  /** With several nodes: where to find the shared rooms, and how often to take out a killed node's people. */
  goneParticipantSweep?: { source: OpenRoomsSource; intervalMs: number; graceMs?: number };
  /** How often administrators watching the governance dashboard get a snapshot; 5 s by default. */
  governanceIntervalMs?: number;
  /** The pre-call network test's limits (its hard time limit, starts per user); defaults in `NetworkTests`. */
  networkTests?: { maxDurationMs?: number; startsPerWindow?: number; rateWindowMs?: number };
  logger: Logger;
  /** Dependencies `/readyz` checks (records service, SFU). */
  readinessChecks?: Record<string, ReadinessCheck>;
}

/** Socket.IO over one HTTP server: every socket is authenticated by an access token before it connects. */
export class SignalingServer {
  readonly #http: HttpServer;
  readonly #io: SignalingIo;
  readonly #rooms: ConsultationRooms;
  readonly #media: MediaRooms;
  readonly #dispatcher: SignalingEventDispatcher;
  readonly #logger: Logger;
  readonly #verifier: TokenVerifier;
  readonly #accounts: AccountWatch;
  readonly #expiryTimers = new Map<string, NodeJS.Timeout>();
  readonly #sweeper: GoneParticipantSweeper | undefined;
  readonly #governance: GovernanceFeed;
  readonly #networkTests: NetworkTests;

  constructor({
    verifier,
    accounts,
    appointments,
    clinicalRecords,
    recoveryMs = 2 * 60_000,
    sfuNodes,
    sfuPlacements,
    roomStore = new InMemoryRoomStateStore(),
    adapter,
    goneParticipantSweep,
    governanceIntervalMs = 5_000,
    networkTests,
    logger,
    readinessChecks = {},
  }: SignalingServerOptions) {
    this.#verifier = verifier;
    this.#accounts = accounts;
    this.#logger = logger;
    const health = createHealthEndpoints({ service: 'signaling', checks: readinessChecks });
    // Socket.IO takes its own path before this handler; its events are logged one by one by the dispatcher.
    const logRequest = createRequestLogger(logger);
    this.#http = createServer(async (req, res) => {
      logRequest(req, res);
      if (await health(req, res)) return;
      const body = new AppError('NOT_FOUND', {
        en: `No route for ${req.method} ${req.url}`,
        ar: `لا يوجد مسار ${req.method} ${req.url}.`,
      }).toBody('en');
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    });
    this.#io = new Server(this.#http, {
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      // Clinics on lossy links: tolerate a few missed heartbeats before declaring a peer gone.
      pingInterval: 20_000,
      pingTimeout: 25_000,
      connectionStateRecovery: { maxDisconnectionDuration: recoveryMs, skipMiddlewares: false },
      ...(adapter ? { adapter } : {}),
    });
    this.#io.use((socket, next) => {
      this.#authenticate(socket).then(
        () => next(),
        (error: unknown) => next(toConnectError(error, socketLocale(socket))),
      );
    });
    this.#media = new MediaRooms({
      nodes: sfuNodes,
      placements: sfuPlacements,
      store: roomStore,
      io: this.#io,
      logger,
    });
    const media = this.#media;
    this.#rooms = new ConsultationRooms({
      store: roomStore,
      appointments,
      io: this.#io,
      logger,
      recoveryMs,
      hooks: {
        participantEntered: (participant) => media.participantEntered(participant),
        participantRemoved: (appointmentId, participant) =>
          media.participantRemoved(appointmentId, participant),
        roomClosed: (appointmentId) => media.roomClosed(appointmentId),
      },
    });
    this.#sweeper =
      goneParticipantSweep &&
      new GoneParticipantSweeper({ ...goneParticipantSweep, io: this.#io, rooms: this.#rooms, logger });
    const clinical = new LiveClinicalData({ store: roomStore, records: clinicalRecords, io: this.#io });
    this.#governance = new GovernanceFeed({
      store: roomStore,
      io: this.#io,
      intervalMs: governanceIntervalMs,
      logger,
    });
    this.#networkTests = new NetworkTests({ ...networkTests, nodes: sfuNodes, logger });
    this.#dispatcher = new SignalingEventDispatcher(
      signalingEventHandlers(this.#rooms, clinical, this.#media, this.#governance, this.#networkTests),
      logger,
      appointments,
    );
    this.#io.on('connection', (socket) => this.#onConnection(socket));
  }

  /** Starts listening; resolves with the URL. */
  async listen(port: number, host: string): Promise<string> {
    this.#http.listen(port, host);
    await once(this.#http, 'listening');
    this.#accounts.start();
    this.#sweeper?.start();
    this.#governance.start();
    const { address, port: actualPort } = this.#http.address() as AddressInfo;
    return `http://${address}:${actualPort}`;
  }

  async close(): Promise<void> {
    this.#accounts.stop();
    this.#sweeper?.stop();
    this.#governance.stop();
    for (const timer of this.#expiryTimers.values()) clearTimeout(timer);
    this.#expiryTimers.clear();
    // This node's sockets only: with the Redis adapter `io.disconnectSockets` would cut every node's clients.
    this.#io.local.disconnectSockets(true);
    await this.#rooms.close();
    await this.#media.close();
    await this.#networkTests.close();
    this.#http.closeAllConnections();
    await this.#io.close();
  }

  async #authenticate(socket: SignalingSocket): Promise<void> {
    const token: unknown = socket.handshake.auth?.token;
    const { user, expiresAt } = await this.#verifier.verify(token);
    // Signed and unexpired is not enough: the account may have been deactivated since the token was issued.
    await this.#accounts.admit(token as string, user);
    socket.data.user = user;
    socket.data.tokenExpiresAt = expiresAt;
  }

  #onConnection(socket: SignalingSocket): void {
    const { user, tokenExpiresAt } = socket.data;
    this.#logger.info({ userId: user.id, role: user.role, socketId: socket.id }, 'socket connected');
    // setTimeout holds at most ~24.8 days; access tokens live minutes.
    const timer = setTimeout(
      () => {
        socket.emit('session:expired', new AppError('TOKEN_EXPIRED').toBody(socketLocale(socket)));
        socket.disconnect(true);
      },
      Math.max(0, Math.min(tokenExpiresAt - Date.now(), 2 ** 31 - 1)),
    );
    this.#expiryTimers.set(socket.id, timer);
    this.#accounts.hold(user, socket.handshake.auth.token as string, tokenExpiresAt, {
      id: socket.id,
      revoke: (reason) => {
        socket.emit('session:revoked', reason.toBody(socketLocale(socket)));
        socket.disconnect(true);
      },
    });

    void socket.join(channels.user(user.id));
    if (user.role === 'specialist') void socket.join(channels.specialists);
    const inRooms = user.role === 'clinic_doctor' || user.role === 'specialist';
    const actor = () => roomActorOf({ socket, user, token: String(socket.handshake.auth.token) });
    if (socket.recovered && inRooms) {
      // Back within the recovery window, in its old channels: it keeps the room places it still holds.
      void this.#rooms.socketBack(actor(), socket);
    }
    this.#dispatcher.attach(socket);
    socket.on('disconnecting', (reason) => {
      if (!inRooms) return;
      // A dropped link may come back in its place; leaving, or being cut off by the server, is final.
      if (isDroppedLink(reason)) void this.#rooms.socketDropped(actor(), socket);
      else void this.#rooms.socketGone(actor(), socket);
    });

    socket.on('disconnect', (reason) => {
      this.#networkTests.socketGone(socket.id);
      clearTimeout(this.#expiryTimers.get(socket.id));
      this.#expiryTimers.delete(socket.id);
      this.#accounts.release(user.id, socket.id);
      this.#logger.info({ userId: user.id, socketId: socket.id, reason }, 'socket disconnected');
    });
  }
}

/** Socket.IO hands `message` and `data` of a middleware error to the client's `connect_error`. */
function toConnectError(error: unknown, locale: Locale): Error & { data: unknown } {
  const appError = error instanceof AppError ? error : new AppError('INTERNAL');
  const connectError = new Error(appError.message) as Error & { data: unknown };
  connectError.data = appError.toBody(locale).error;
  return connectError;
}
