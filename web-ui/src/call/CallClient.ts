import {
  AppError,
  type CallInvitation,
  type RoomParticipant,
  type RoomState,
  type SignalingAck,
  type SignalingNotification,
  type SignalingRequest,
  type VitalSignInput,
} from '@telemed/shared';
import { CallMedia, type CallMediaPort, MediaConnectionState, type ReceivedVideo } from './CallMedia.js';
import { NetworkQuality, networkQuality } from './networkQuality.js';
import { noWeakLink, type WeakLinkSnapshot, WeakLinkState } from './quality/WeakLinkState.js';
import { type CallSignal, SignalState, type SignalStateChange } from './SignalClient.js';
import { TypedEmitter } from './TypedEmitter.js';

/** Where the call is, from the person's side. */
export const CallState = {
  idle: 'idle',
  joining: 'joining',
  /** A clinic doctor in the waiting room, until the specialist admits them. */
  waiting: 'waiting',
  /** Admitted (or a specialist): setting up media. */
  connecting: 'connecting',
  connected: 'connected',
  /** The signaling link dropped; the call comes back by itself or through a rejoin. */
  reconnecting: 'reconnecting',
  left: 'left',
  /** The specialist ended the consultation. */
  ended: 'ended',
  /** The call cannot go on: see `endReason` and `error`. */
  failed: 'failed',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

export type CallEndReason =
  | 'left'
  | 'ended'
  | 'replaced'
  | 'session-revoked'
  | 'session-expired'
  | 'withdrawn'
  | 'disconnected'
  | 'error';

export interface CallParticipant extends RoomParticipant {
  /** The others are told when this participant's link drops, and when it comes back. */
  link: 'connected' | 'reconnecting';
  quality: NetworkQuality;
}

export interface CallSnapshot extends WeakLinkSnapshot {
  state: CallState;
  appointmentId: string | null;
  appointmentStatus: RoomState['appointmentStatus'] | null;
  /** Everyone in the room but ourselves. */
  participants: CallParticipant[];
  self: RoomParticipant | null;
  /** The specialists the booked specialist invited (joined or not yet), as signaling last told. */
  invitations: CallInvitation[];
  localStream: MediaStream | null;
  /** Each other participant's camera and microphone, by participant id. */
  remoteStreams: Record<string, MediaStream>;
  /** Each other participant's screen share while they share, by participant id: shown large. */
  remoteScreens: Record<string, MediaStream>;
  /** Our own link (what we send). */
  localQuality: NetworkQuality;
  /** The media transports: `reconnecting` while ICE restarts or they are made anew (a screen says so). */
  mediaConnection: MediaConnectionState;
  microphoneMuted: boolean;
  cameraOff: boolean;
  screenSharing: boolean;
  endReason: CallEndReason | null;
  error: AppError | null;
}

/** Live clinical data and requests passed on to the screens, by name. */
export type CallEvents = {
  state: [CallState];
  'chat:message': [SignalingNotification<'chat:message'>];
  'vitals:recorded': [SignalingNotification<'vitals:recorded'>];
  'attachment:added': [SignalingNotification<'attachment:added'>];
  'snapshot:requested': [SignalingNotification<'snapshot:requested'>];
  /** Any refusal or failure a person may want to see (the call may still go on). */
  error: [AppError];
};

export interface CallClientOptions {
  signal: CallSignal;
  /** The signed-in user's id: their own place in the room. */
  selfId: string;
  /** Makes the media of one room; tests give a double. */
  createMedia?: (appointmentId: string) => CallMediaPort;
  /** The camera and microphone, when `join` is given no stream (the device check usually gives one). */
  acquireLocalStream?: () => Promise<MediaStream>;
  /** Refreshes the access token after `session:expired`; resolves whether it worked. */
  refreshSession?: () => Promise<boolean>;
  /** How often the browser's stats are sampled for the quality indicators. */
  qualityIntervalMs?: number;
  /**
   * `relay` sends all media through the TURN servers the SFU hands out, never directly: for sites whose firewall
   * lets UDP out but mangles it, and for tests of the relay. Default `all` (direct UDP first, TURN when it fails).
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

const initialSnapshot: CallSnapshot = {
  state: CallState.idle,
  appointmentId: null,
  appointmentStatus: null,
  participants: [],
  self: null,
  invitations: [],
  localStream: null,
  remoteStreams: {},
  remoteScreens: {},
  localQuality: NetworkQuality.unknown,
  mediaConnection: MediaConnectionState.connecting,
  microphoneMuted: false,
  cameraOff: false,
  screenSharing: false,
  endReason: null,
  error: null,
  ...noWeakLink,
};

const finished: ReadonlySet<CallState> = new Set([CallState.left, CallState.ended, CallState.failed]);

/**
 * One consultation call, kept apart from React (LiveKit's Room is the model): the room over the signaling link,
 * the media over `CallMediaPort`, and an explicit `CallState`. `join` and `reconnect` are separate paths: after a
 * dropped link that Socket.IO recovered the call just goes on; otherwise it rejoins and sets its media up again.
 * Screens read `snapshot` (immutable, replaced on every change) through `subscribe`, as `useSyncExternalStore` wants.
 */
export class CallClient {
  readonly #options: CallClientOptions;
  readonly #signal: CallSignal;
  readonly #events = new TypedEmitter<CallEvents>();
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: Array<() => void> = [];
  #snapshot: CallSnapshot = initialSnapshot;
  #media: CallMediaPort | undefined;
  #producerScores = new Map<string, number>();
  #consumerScores = new Map<string, number>();
  readonly #weakLink = new WeakLinkState();
  #qualityTimer: ReturnType<typeof setInterval> | undefined;
  /** The state to go back to when a dropped link is recovered. */
  #beforeDrop: CallState | undefined;
  /** Between `session:expired` and the refreshed token: the server's close of the socket is expected. */
  #refreshing = false;
  #rejoining: Promise<void> | undefined;
  #closed = false;

  constructor(options: CallClientOptions) {
    this.#options = options;
    this.#signal = options.signal;
    this.#listen();
  }

  get snapshot(): CallSnapshot {
    return this.#snapshot;
  }

  get state(): CallState {
    return this.#snapshot.state;
  }

  /** For `useSyncExternalStore`: `listener` runs after every change of `snapshot`. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): CallSnapshot => this.#snapshot;

  on<E extends keyof CallEvents>(event: E, listener: (...args: CallEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Enters the appointment's room. A clinic doctor waits for admission (state `waiting`); once admitted, or at
   * once for the specialist, the media is set up and `localStream` is sent. Rejects with the refusal's `AppError`.
   */
  async join(appointmentId: string, localStream?: MediaStream): Promise<void> {
    if (this.#snapshot.state !== CallState.idle && !finished.has(this.#snapshot.state)) {
      throw new AppError('CONFLICT', 'This call has already joined a room; leave it first.');
    }
    this.#closeMedia();
    this.#set({
      ...initialSnapshot,
      state: CallState.joining,
      appointmentId,
      localStream: localStream ?? null,
    });
    try {
      await this.#signal.connect();
      const room = await this.#signal.request('room:join', { appointmentId });
      await this.#entered(room);
    } catch (error) {
      this.#fail('error', error);
      throw error;
    }
  }

  /**
   * The path after a dropped link that Socket.IO could not recover (our place and media on the server may be
   * gone): join the room again and set media up from nothing, keeping the local stream and its muted state.
   */
  reconnect(): Promise<void> {
    // One rejoin at a time: the link coming back during a rejoin (which connects it) asks for another. The
    // promise is held before the rejoin starts, as connecting may report the link up synchronously.
    this.#rejoining ??= Promise.resolve()
      .then(() => this.#rejoin())
      .finally(() => {
        this.#rejoining = undefined;
      });
    return this.#rejoining;
  }

  async #rejoin(): Promise<void> {
    const appointmentId = this.#snapshot.appointmentId;
    if (!appointmentId || finished.has(this.#snapshot.state)) return;
    // The media was up when the link dropped: its transports stay while the socket is away (the SFU still holds
    // them), and the rejoin asks to resume them. Otherwise, as before, media is set up from nothing.
    const kept = this.#beforeDrop === CallState.connected ? (this.#media?.transportIds() ?? []) : [];
    if (kept.length === 0) this.#dropMedia();
    this.#set({ state: CallState.reconnecting });
    try {
      await this.#signal.connect();
      const room = await this.#signal.request('room:join', {
        appointmentId,
        ...(kept.length > 0 ? { resume: { transportIds: kept } } : {}),
      });
      if (kept.length > 0 && (await this.#resumeMedia(appointmentId, room))) return;
      this.#dropMedia();
      await this.#entered(room);
    } catch (error) {
      if (error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE') return; // still down: wait for the link
      this.#fail('error', error);
    }
  }

  /**
   * LiveKit's `resume` rather than its full reconnect: signaling adopts the transports, producers and consumers
   * the SFU still holds for us, so media never stopped; true when it did. False (the SFU lost them, or we are not
   * admitted any more): the caller sets media up anew.
   */
  async #resumeMedia(appointmentId: string, room: RoomState): Promise<boolean> {
    const media = this.#media;
    const self = room.participants.find((p) => p.participantId === this.#options.selfId);
    if (!media || self?.status !== 'joined') return false;
    const answer = await this.#signal.request('media:resume', { appointmentId }).catch(() => undefined);
    if (!answer?.resumed || media !== this.#media) return false;
    this.#applyRoom(room);
    await media.resumed(answer.producers);
    if (media !== this.#media) return true; // closed meanwhile (left, or the link dropped again)
    this.#set({ state: CallState.connected });
    return true;
  }

  /** Media from nothing follows: what this call showed of the others goes with the old media. */
  #dropMedia(): void {
    this.#closeMedia();
    this.#set({ remoteStreams: {}, remoteScreens: {} });
  }

  /** The specialist lets a waiting participant in. */
  async admit(participantId: string): Promise<void> {
    const appointmentId = this.#requireRoom();
    this.#applyRoom(await this.#signal.request('room:admit', { appointmentId, participantId }));
  }

  /** The booked specialist invites another specialist into the call (records decides). */
  async invite(specialistId: string): Promise<void> {
    const appointmentId = this.#requireRoom();
    this.#applyRoom(await this.#signal.request('room:invite', { appointmentId, specialistId }));
  }

  /** The booked specialist withdraws an invitation; an invited specialist already in the call leaves it. */
  async withdrawInvitation(specialistId: string): Promise<void> {
    const appointmentId = this.#requireRoom();
    this.#applyRoom(await this.#signal.request('room:withdraw-invitation', { appointmentId, specialistId }));
  }

  /** Leaves without ending the consultation; the others go on. */
  async leave(): Promise<void> {
    const appointmentId = this.#snapshot.appointmentId;
    if (!appointmentId || finished.has(this.#snapshot.state)) return;
    this.#closeMedia();
    try {
      await this.#signal.request('room:leave', { appointmentId });
    } catch {
      // The server makes a silent participant leave when its link goes; leaving locally is what counts here.
    }
    this.#finish(CallState.left, 'left');
  }

  /** The specialist ends the consultation for everyone. */
  async end(): Promise<void> {
    const appointmentId = this.#requireRoom();
    const room = await this.#signal.request('room:end', { appointmentId });
    this.#set({ appointmentStatus: room.appointmentStatus });
    this.#finish(CallState.ended, 'ended');
  }

  async setMicrophoneMuted(muted: boolean): Promise<void> {
    this.#set({ microphoneMuted: muted });
    for (const track of this.#snapshot.localStream?.getAudioTracks() ?? []) track.enabled = !muted;
    await this.#media?.setMicrophoneMuted(muted);
  }

  async setCameraOff(off: boolean): Promise<void> {
    this.#set({ cameraOff: off });
    for (const track of this.#snapshot.localStream?.getVideoTracks() ?? []) track.enabled = !off;
    await this.#media?.setCameraOff(off);
  }

  /** Another camera or microphone during the call (from `devices.ts`): the local stream keeps one track of each kind. */
  async switchDevice(track: MediaStreamTrack): Promise<void> {
    const stream = this.#snapshot.localStream;
    if (stream) {
      for (const old of stream.getTracks().filter((t) => t.kind === track.kind)) {
        stream.removeTrack(old);
        old.stop();
      }
      stream.addTrack(track);
    }
    await this.#media?.replaceTrack(track);
    this.#set({ localStream: stream });
  }

  async startScreenShare(track: MediaStreamTrack): Promise<void> {
    await this.#media?.startScreenShare(track);
    this.#set({ screenSharing: true });
    track.addEventListener('ended', () => this.#set({ screenSharing: false }));
  }

  async stopScreenShare(): Promise<void> {
    await this.#media?.stopScreenShare();
    this.#set({ screenSharing: false });
  }

  /** Live clinical data goes straight through signaling (which stores it in records first). */
  sendChat(text: string, clientMessageId?: string): Promise<SignalingAck<'chat:send'>> {
    return this.#signal.request('chat:send', {
      appointmentId: this.#requireRoom(),
      text,
      ...(clientMessageId ? { clientMessageId } : {}),
    });
  }

  /** A vital sign taken at the clinic: records stores it, then the room is told (`vitals:recorded`). */
  recordVitalSign(vitalSign: VitalSignInput): Promise<SignalingAck<'vitals:record'>> {
    return this.#signal.request('vitals:record', {
      ...vitalSign,
      appointmentId: this.#requireRoom(),
    } as SignalingRequest<'vitals:record'>);
  }

  /** After an upload to records: the room is told what records holds (`attachment:added`). */
  noticeAttachment(attachmentId: string): Promise<SignalingAck<'attachment:notice'>> {
    return this.#signal.request('attachment:notice', { appointmentId: this.#requireRoom(), attachmentId });
  }

  requestSnapshot(): Promise<SignalingAck<'snapshot:request'>> {
    return this.#signal.request('snapshot:request', { appointmentId: this.#requireRoom() });
  }

  /** What each remote video decoded so far (none before the media is up). */
  receivedVideo(): Promise<ReceivedVideo[]> {
    return this.#media?.receivedVideo() ?? Promise.resolve([]);
  }

  /** Ends everything this call made, once: media, timers, listeners, and the signaling link it was given. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeMedia();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    for (const track of this.#snapshot.localStream?.getTracks() ?? []) track.stop();
    this.#signal.close();
    if (!finished.has(this.#snapshot.state) && this.#snapshot.state !== CallState.idle) {
      this.#finish(CallState.left, 'left');
    }
    this.#events.removeAllListeners();
    this.#listeners.clear();
  }

  async #entered(room: RoomState): Promise<void> {
    this.#applyRoom(room);
    const self = room.participants.find((p) => p.participantId === this.#options.selfId);
    if (self?.status === 'joined') await this.#startMedia();
    else this.#set({ state: CallState.waiting });
  }

  async #startMedia(): Promise<void> {
    const appointmentId = this.#requireRoom();
    if (this.#media) return;
    this.#set({ state: CallState.connecting });
    const media = (
      this.#options.createMedia ??
      ((id) =>
        new CallMedia(this.#signal, id, {
          ...(this.#options.iceTransportPolicy
            ? { iceTransportPolicy: this.#options.iceTransportPolicy }
            : {}),
          untilRejoined: () => this.#rejoining?.catch(() => undefined) ?? Promise.resolve(),
        }))
    )(appointmentId);
    this.#media = media;
    media.on('remote-streams', ({ streams, screens }) =>
      this.#set({ remoteStreams: streams, remoteScreens: screens }),
    );
    this.#set({ mediaConnection: MediaConnectionState.connecting });
    media.on('connection', (mediaConnection) => this.#set({ mediaConnection }));
    media.on('uplink-video', (paused) => {
      if (this.#media === media && this.#weakLink.uplinkPaused(paused)) this.#set(this.#weakLink.snapshot);
    });
    try {
      // Receiving what the others send and sending our own go at once: neither waits for the other.
      const publishing = (async () => {
        let stream = this.#snapshot.localStream;
        if (!stream && this.#options.acquireLocalStream) {
          stream = await this.#options.acquireLocalStream();
          this.#set({ localStream: stream });
        }
        if (stream) await media.publish(stream);
      })();
      await Promise.all([media.start(), publishing]);
      if (this.#snapshot.microphoneMuted) await media.setMicrophoneMuted(true);
      if (this.#snapshot.cameraOff) await media.setCameraOff(true);
    } catch (error) {
      if (this.#media !== media) return; // closed meanwhile (left, or the link dropped): not this attempt's failure
      throw error;
    }
    if (this.#media !== media) return;
    this.#set({ state: CallState.connected });
    this.#startQualitySampling();
  }

  #listen(): void {
    const signal = this.#signal;
    const mine = (payload: { appointmentId: string }) =>
      payload.appointmentId === this.#snapshot.appointmentId && !finished.has(this.#snapshot.state);
    const subscriptions = [
      signal.onState((change) => this.#signalChanged(change)),
      signal.on('room:state', (room) => mine(room) && this.#applyRoom(room)),
      signal.on('room:admitted', (notice) => {
        if (!mine(notice) || notice.participant.participantId !== this.#options.selfId) return;
        this.#applyParticipant(notice.participant);
        if (this.#snapshot.state === CallState.waiting) this.#run(this.#startMedia());
      }),
      signal.on(
        'room:participant-joined',
        (notice) => mine(notice) && this.#applyParticipant(notice.participant),
      ),
      signal.on('room:participant-left', (notice) => {
        if (!mine(notice)) return;
        if (notice.participantId === this.#options.selfId) {
          // Our place went to a newer socket of ours (another tab): this one is out of the call.
          if (notice.reason === 'replaced') this.#finish(CallState.failed, 'replaced');
          // An invited specialist whose invitation the booked specialist withdrew: the room let them go.
          else if (notice.reason === 'withdrawn') this.#finish(CallState.left, 'withdrawn');
          return;
        }
        this.#set({
          participants: this.#snapshot.participants.filter((p) => p.participantId !== notice.participantId),
        });
      }),
      signal.on(
        'room:participant-reconnecting',
        (n) => mine(n) && this.#setLink(n.participantId, 'reconnecting'),
      ),
      signal.on('room:participant-back', (n) => mine(n) && this.#setLink(n.participantId, 'connected')),
      signal.on('room:ended', (notice) => {
        if (!mine(notice)) return;
        this.#set({ appointmentStatus: notice.appointmentStatus });
        this.#finish(CallState.ended, 'ended');
      }),
      signal.on(
        'media:new-producer',
        (n) => mine(n) && this.#media && this.#run(this.#media.consume(n.producer)),
      ),
      // The room's SFU node died and the room went to another: the same call, new transports.
      signal.on('media:reset', (n) => mine(n) && this.#media?.reset()),
      signal.on('media:producer-closed', (n) => {
        if (!mine(n)) return;
        this.#media?.producerClosed(n.producerId);
        if (this.#weakLink.producerClosed(n.producerId)) this.#set(this.#weakLink.snapshot);
      }),
      // Another participant paused their producer: a weak uplink of theirs is shown on their tile as such.
      signal.on('media:producer-paused', (n) => {
        if (mine(n) && this.#weakLink.applyProducerPause(n)) this.#set(this.#weakLink.snapshot);
      }),
      signal.on('media:consumer-closed', (n) => {
        if (!mine(n)) return;
        this.#media?.consumerClosed(n.consumerId);
        this.#consumerScores.delete(n.consumerId);
        if (this.#weakLink.consumerClosed(n.consumerId)) this.#set(this.#weakLink.snapshot);
      }),
      signal.on('media:video-bandwidth', (n) => {
        if (!mine(n)) return;
        this.#weakLink.apply(n);
        this.#set(this.#weakLink.snapshot);
      }),
      signal.on('media:score', (score) => {
        if (!mine(score)) return;
        if (score.of === 'producer') this.#producerScores.set(score.producerId, score.score);
        else this.#consumerScores.set(score.consumerId, score.score);
      }),
      signal.on('chat:message', (n) => mine(n) && this.#events.emit('chat:message', n)),
      signal.on('vitals:recorded', (n) => mine(n) && this.#events.emit('vitals:recorded', n)),
      signal.on('attachment:added', (n) => mine(n) && this.#events.emit('attachment:added', n)),
      signal.on('snapshot:requested', (n) => mine(n) && this.#events.emit('snapshot:requested', n)),
      signal.on('session:revoked', (body) => {
        if (this.#snapshot.state === CallState.idle || finished.has(this.#snapshot.state)) return;
        this.#closeMedia();
        this.#finish(CallState.failed, 'session-revoked', new AppError(body.error.code, body.error.message));
      }),
      signal.on('session:expired', () => this.#run(this.#sessionExpired())),
    ];
    this.#unsubscribe.push(...subscriptions);
  }

  #signalChanged({ state, recovered, error }: SignalStateChange): void {
    const current = this.#snapshot.state;
    if (current === CallState.idle || finished.has(current)) return;
    if (state === SignalState.reconnecting) {
      if (current !== CallState.reconnecting) this.#beforeDrop = current;
      this.#set({ state: CallState.reconnecting });
    } else if (state === SignalState.connected && current === CallState.reconnecting) {
      // Socket.IO kept our session: same socket id, our place and our media on the server. Just go on.
      if (recovered && this.#beforeDrop && this.#beforeDrop !== CallState.joining) {
        const back =
          this.#beforeDrop === CallState.connecting && this.#media ? CallState.connected : this.#beforeDrop;
        this.#set({ state: back });
      } else {
        this.#run(this.reconnect());
      }
    } else if (state === SignalState.disconnected && current !== CallState.joining && !this.#refreshing) {
      this.#closeMedia();
      this.#finish(CallState.failed, 'disconnected', error ?? null);
    }
  }

  async #sessionExpired(): Promise<void> {
    if (this.#snapshot.state === CallState.idle || finished.has(this.#snapshot.state)) return;
    // The server closes the socket right after telling us; that close is not the end of the call while we refresh.
    this.#refreshing = true;
    if (this.#snapshot.state !== CallState.reconnecting) this.#beforeDrop = this.#snapshot.state;
    this.#set({ state: CallState.reconnecting });
    let refreshed = false;
    try {
      refreshed = (await this.#options.refreshSession?.().catch(() => false)) ?? false;
    } finally {
      this.#refreshing = false;
    }
    if (!refreshed) {
      this.#closeMedia();
      this.#finish(CallState.failed, 'session-expired', new AppError('TOKEN_EXPIRED'));
      return;
    }
    // The server closed the socket; a new one (with the new token) cannot recover the old session.
    await this.reconnect();
  }

  #applyRoom(room: RoomState): void {
    const previous = new Map(this.#snapshot.participants.map((p) => [p.participantId, p]));
    const self = room.participants.find((p) => p.participantId === this.#options.selfId) ?? null;
    const participants = room.participants
      .filter((p) => p.participantId !== this.#options.selfId)
      .map((p) => ({
        ...p,
        link: previous.get(p.participantId)?.link ?? ('connected' as const),
        quality: previous.get(p.participantId)?.quality ?? NetworkQuality.unknown,
      }));
    this.#set({
      appointmentStatus: room.appointmentStatus,
      self,
      participants,
      ...(room.invitations ? { invitations: room.invitations } : {}),
    });
  }

  #applyParticipant(participant: RoomParticipant): void {
    if (participant.participantId === this.#options.selfId) {
      this.#set({ self: participant });
      return;
    }
    const others = this.#snapshot.participants.filter((p) => p.participantId !== participant.participantId);
    const old = this.#snapshot.participants.find((p) => p.participantId === participant.participantId);
    // Joined or admitted just now: its link is up, whatever was last heard of an older socket of theirs.
    this.#set({
      participants: [
        ...others,
        { ...participant, link: 'connected', quality: old?.quality ?? NetworkQuality.unknown },
      ],
    });
  }

  #setLink(participantId: string, link: CallParticipant['link']): void {
    this.#set({
      participants: this.#snapshot.participants.map((p) =>
        p.participantId === participantId ? { ...p, link } : p,
      ),
    });
  }

  #startQualitySampling(): void {
    clearInterval(this.#qualityTimer);
    this.#qualityTimer = setInterval(
      () => void this.#sampleQuality(),
      this.#options.qualityIntervalMs ?? 2_000,
    );
  }

  async #sampleQuality(): Promise<void> {
    const media = this.#media;
    if (!media) return;
    const sample = await media.sample().catch(() => undefined);
    if (!sample || media !== this.#media) return;
    const lowest = (scores: Iterable<number>) => {
      const list = [...scores];
      return list.length > 0 ? Math.min(...list) : null;
    };
    const ownScores = [...this.#producerScores].filter(([id]) => media.ownsProducer(id)).map(([, s]) => s);
    const localQuality = networkQuality({ ...sample.send, sfuScore: lowest(ownScores) });
    const participants = this.#snapshot.participants.map((p) => {
      const scores = [...this.#consumerScores]
        .filter(([consumerId]) => media.participantOfConsumer(consumerId) === p.participantId)
        .map(([, s]) => s);
      const link = sample.receive[p.participantId] ?? { lossRatio: null, rttMs: null };
      return { ...p, quality: networkQuality({ ...link, sfuScore: lowest(scores) }) };
    });
    this.#set({ localQuality, participants });
  }

  #requireRoom(): string {
    const appointmentId = this.#snapshot.appointmentId;
    if (!appointmentId || finished.has(this.#snapshot.state)) {
      throw new AppError('ROOM_NOT_JOINED');
    }
    return appointmentId;
  }

  /** Runs a background step; its failure is told to the screens rather than lost. */
  #run(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.#events.emit('error', toAppError(error)));
  }

  #closeMedia(): void {
    clearInterval(this.#qualityTimer);
    this.#qualityTimer = undefined;
    const media = this.#media;
    this.#media = undefined;
    media?.close();
    this.#producerScores.clear();
    this.#consumerScores.clear();
    this.#weakLink.clear();
    const { videoPausedFrom, sendingAudioOnly, videoPausedBySender, uplinkVideoPaused } = this.#snapshot;
    if (videoPausedFrom.length + videoPausedBySender.length > 0 || sendingAudioOnly || uplinkVideoPaused)
      this.#set(noWeakLink);
  }

  #finish(state: CallState, endReason: CallEndReason, error: AppError | null = null): void {
    this.#closeMedia();
    this.#set({ state, endReason, error, remoteStreams: {}, remoteScreens: {}, ...noWeakLink });
  }

  #fail(endReason: CallEndReason, error: unknown): void {
    this.#finish(CallState.failed, endReason, toAppError(error));
  }

  #set(change: Partial<CallSnapshot>): void {
    const before = this.#snapshot.state;
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of [...this.#listeners]) listener();
    if (this.#snapshot.state !== before) this.#events.emit('state', this.#snapshot.state);
  }
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
}
