import { AppError } from '@telemed/shared';
import { CallClient, type CallSnapshot, openLocalStream, SignalClient } from '@telemed/web-ui/call';

/**
 * The test page: the real `CallClient` (SignalClient over Socket.IO, CallMedia with mediasoup-client), as the apps
 * will use it, driven by the test through `window`. Remote streams are played in <video> elements, as a call
 * screen plays them, so the browser decodes them.
 */
interface StartOptions {
  signalingUrl: string;
  /** Other signaling nodes to fail over to. */
  fallbackUrls?: string[];
  accessToken: string;
  selfId: string;
  appointmentId: string;
  /** `relay` forces the media through TURN (the TURN test). */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

interface PageApi {
  startCall(options: StartOptions): Promise<void>;
  admit(participantId: string): Promise<void>;
  callState(): Pick<CallSnapshot, 'state' | 'endReason' | 'mediaConnection'> & {
    history: string[];
    /** Every media connection state the call went through. */
    mediaHistory: string[];
    recoveries: boolean[];
    participants: Array<{ participantId: string; status: string; link: string }>;
    error: string | null;
    /** The audio-only fallback as the call screen shows it (`WeakLinkSnapshot`). */
    weakLink: Pick<
      CallSnapshot,
      'videoPausedFrom' | 'sendingAudioOnly' | 'videoPausedBySender' | 'uplinkVideoPaused'
    >;
  };
  receivedVideo(): ReturnType<CallClient['receivedVideo']>;
  /** Whose camera and whose screen this page shows, by participant id. */
  remoteLayout(): { streams: string[]; screens: string[] };
  shareScreen(): Promise<void>;
  stopScreenShare(): Promise<void>;
  dropLink(): void;
  sendChat(text: string): ReturnType<CallClient['sendChat']>;
  recordVitalSign(
    vital: Parameters<CallClient['recordVitalSign']>[0],
  ): ReturnType<CallClient['recordVitalSign']>;
  /** The browser's `online` event, as after a change of network: the call restarts ICE. */
  networkChanged(): void;
  /** From now on signaling's answer to `media:restart-ice` is a refusal (as when the SFU lost the transport). */
  refuseIceRestart(refuse: boolean): void;
  /** How many times each request was sent so far. */
  requestCounts(): Record<string, number>;
  dropLinkFor(ms: number): void;
  leave(): Promise<void>;
  end(): Promise<void>;
  /** For the join bench: what happened when, and when each participant's first camera frame was shown. */
  timeline(): Timeline;
  probeSignal(options: {
    signalingUrl: string;
    accessToken: string;
    appointmentId: string;
  }): Promise<unknown>;
}

/** A moment on the wall clock shared by every page of the browser (epoch milliseconds, sub-millisecond). */
const clock = () => performance.timeOrigin + performance.now();

export interface Timeline {
  /** Each request sent and answered (`media:produce sent`, `media:produce ack`), and notices received. */
  marks: Array<{ what: string; at: number }>;
  /** When the first frame of each participant's camera was handed to the compositor (`requestVideoFrameCallback`). */
  firstFrames: Record<string, number>;
}

const w = window as unknown as Window & PageApi;
const timeline: Timeline = { marks: [], firstFrames: {} };
let call: CallClient | undefined;
let signal: SignalClient | undefined;
const history: string[] = [];
const recoveries: boolean[] = [];
const mediaHistory: string[] = [];
let refusingIceRestart = false;

w.startCall = async ({
  signalingUrl,
  fallbackUrls,
  accessToken,
  selfId,
  appointmentId,
  iceTransportPolicy,
}) => {
  signal = new SignalClient({
    url: signalingUrl,
    ...(fallbackUrls ? { fallbackUrls } : {}),
    accessToken: () => accessToken,
    locale: () => 'en',
    socketOptions: { reconnectionDelay: 200, reconnectionDelayMax: 500 },
  });
  signal.onState(({ state, recovered }) => {
    if (state === 'connected') recoveries.push(recovered);
  });
  markRequests(signal);
  signal.on('room:admitted', () => timeline.marks.push({ what: 'room:admitted', at: clock() }));
  signal.on('media:new-producer', () => timeline.marks.push({ what: 'media:new-producer', at: clock() }));
  call = new CallClient({
    signal,
    selfId,
    qualityIntervalMs: 1_000,
    ...(iceTransportPolicy ? { iceTransportPolicy } : {}),
  });
  call.on('state', (state) => history.push(state));
  call.subscribe(() => {
    if (mediaHistory.at(-1) !== call!.snapshot.mediaConnection)
      mediaHistory.push(call!.snapshot.mediaConnection);
    renderVideos('camera', call!.snapshot.remoteStreams);
    renderVideos('screen', call!.snapshot.remoteScreens);
  });
  await call.join(appointmentId, await openLocalStream());
};

w.admit = (participantId) => call!.admit(participantId);

w.callState = () => {
  const s = call!.snapshot;
  return {
    state: s.state,
    endReason: s.endReason,
    mediaConnection: s.mediaConnection,
    history: [...history],
    mediaHistory: [...mediaHistory],
    recoveries: [...recoveries],
    participants: s.participants.map(({ participantId, status, link }) => ({ participantId, status, link })),
    weakLink: {
      videoPausedFrom: s.videoPausedFrom,
      sendingAudioOnly: s.sendingAudioOnly,
      videoPausedBySender: s.videoPausedBySender,
      uplinkVideoPaused: s.uplinkVideoPaused,
    },
    error: s.error ? `${s.error.code}: ${s.error.message}` : null,
  };
};

w.receivedVideo = () => call!.receivedVideo();

w.remoteLayout = () => ({
  streams: Object.keys(call!.snapshot.remoteStreams),
  screens: Object.keys(call!.snapshot.remoteScreens),
});

let screenPainter: ReturnType<typeof setInterval> | undefined;

/** A screen share from a canvas kept moving (a real picker needs a person), sent as the call sends a screen. */
w.shareScreen = async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 720;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  screenPainter = setInterval(() => {
    frame++;
    context.fillStyle = `hsl(${(frame * 7) % 360} 60% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#fff';
    context.fillText(`slide ${frame}`, 40 + (frame % 600), 80);
  }, 50);
  const [track] = canvas.captureStream(20).getVideoTracks();
  await call!.startScreenShare(track!);
};

w.stopScreenShare = async () => {
  clearInterval(screenPainter);
  await call!.stopScreenShare();
};

/** Cuts the WebSocket under Socket.IO, as a lost link does: Socket.IO reconnects by itself. */
w.dropLink = () => {
  signal!.socket.io.engine.close();
};

/** Cuts the link and keeps it down for `ms` (Socket.IO's next try comes only then), e.g. past the recovery window. */
w.dropLinkFor = (ms) => {
  const manager = signal!.socket.io;
  manager.randomizationFactor(0);
  manager.reconnectionDelay(ms);
  manager.reconnectionDelayMax(ms);
  signal!.socket.once('connect', () => {
    manager.reconnectionDelay(200);
    manager.reconnectionDelayMax(500);
  });
  manager.engine.close();
};

w.networkChanged = () => {
  window.dispatchEvent(new Event('online'));
};

w.refuseIceRestart = (refuse) => {
  refusingIceRestart = refuse;
};

w.requestCounts = () => {
  const counts: Record<string, number> = {};
  for (const { what } of timeline.marks) {
    if (what.endsWith(' sent')) counts[what.slice(0, -5)] = (counts[what.slice(0, -5)] ?? 0) + 1;
  }
  return counts;
};

w.sendChat = (text) => call!.sendChat(text);

w.recordVitalSign = (vital) => call!.recordVitalSign(vital);

w.leave = () => call!.leave();

w.end = () => call!.end();

w.timeline = () => structuredClone(timeline);

/** Marks every request the call client sends and its answer, so the join bench can tell where the time went. */
function markRequests(client: SignalClient): void {
  const send = client.request.bind(client);
  client.request = (async (name: Parameters<typeof send>[0], ...args: unknown[]) => {
    timeline.marks.push({ what: `${name} sent`, at: clock() });
    if (name === 'media:restart-ice' && refusingIceRestart) {
      throw new AppError('MEDIA_NOT_FOUND', 'refused by the test page');
    }
    const ack = await (send as (n: typeof name, ...a: unknown[]) => Promise<unknown>)(name, ...args);
    timeline.marks.push({ what: `${name} ack`, at: clock() });
    return ack;
  }) as typeof client.request;
}

const shown = { camera: new Map<string, HTMLVideoElement>(), screen: new Map<string, HTMLVideoElement>() };

function renderVideos(place: keyof typeof shown, streams: Record<string, MediaStream>): void {
  const container = document.getElementById('videos')!;
  const elements = shown[place];
  for (const [participantId, element] of elements) {
    if (!streams[participantId]) {
      element.remove();
      elements.delete(participantId);
    }
  }
  for (const [participantId, stream] of Object.entries(streams)) {
    let element = elements.get(participantId);
    if (!element) {
      element = document.createElement('video');
      element.autoplay = true;
      element.muted = true;
      element.playsInline = true;
      element.dataset.participant = participantId;
      if (place === 'camera') {
        // The first frame shown, stamped by the compositor: when the call screen shows the other person.
        element.requestVideoFrameCallback((_now, frame) => {
          timeline.firstFrames[participantId] ??= performance.timeOrigin + frame.presentationTime;
        });
      }
      element.dataset.place = place;
      container.appendChild(element);
      elements.set(participantId, element);
    }
    if (element.srcObject !== stream) {
      element.srcObject = stream;
      void element.play().catch(() => undefined);
    }
  }
}

/** What a promise settled with, in a form the test can read: the data, or the error's class, code and message. */
async function outcome(work: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof AppError)
      return { ok: false, appError: true, code: error.code, message: error.message };
    return { ok: false, appError: false, message: String(error) };
  }
}

/** The SignalClient's edges: a refused token, a payload refused before it leaves, and a refusal by the server. */
w.probeSignal = async ({ signalingUrl, accessToken, appointmentId }) => {
  const refused = new SignalClient({
    url: signalingUrl,
    accessToken: () => 'not-a-token',
    locale: () => 'ar',
  });
  const states: string[] = [];
  refused.onState(({ state }) => states.push(state));
  const badToken = await outcome(() => refused.connect());
  refused.close();

  const client = new SignalClient({ url: signalingUrl, accessToken: () => accessToken, locale: () => 'ar' });
  const whoami = await outcome(() => client.connect().then(() => client.request('session:whoami')));
  const badPayload = await outcome(() =>
    client.request('room:join', { appointmentId: 'not an id' } as unknown as { appointmentId: string }),
  );
  const refusedByServer = await outcome(() =>
    client.request('room:admit', { appointmentId, participantId: 'a'.repeat(24) }),
  );
  const state = client.state;
  client.close();
  return { badToken, states, whoami, badPayload, refusedByServer, state, closedState: client.state };
};
