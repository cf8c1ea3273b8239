import '@mantine/core/styles.css';
import '@telemed/web-ui/styles.css';
import type { RoomRole } from '@telemed/shared';
import {
  AppProviders,
  ConsultationSidePanels,
  captureStill,
  SessionClient,
  SnapshotButton,
  useSnapshotResponder,
} from '@telemed/web-ui';
import { CallClient, CallProvider, openLocalStream, SignalClient } from '@telemed/web-ui/call';
import { createElement as h, useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';

/**
 * The panels' test page: the real web-ui pieces (SessionClient through this page's `/api` proxy to records,
 * SignalClient and CallClient to signaling, the panels, the snapshot button and responder) as the call screen
 * places them, driven by the test through `window`. Screenshots of the panels are taken here too.
 */
interface StartOptions {
  username: string;
  password: string;
  signalingUrl: string;
  accessToken: string;
  selfId: string;
  role: RoomRole;
  appointmentId: string;
  locale: 'ar' | 'en';
}

interface PageApi {
  startCall(options: StartOptions): Promise<string>;
  showPanels(consultationId: string): void;
  admit(participantId: string): Promise<void>;
  sentVideoSize(): { width?: number; height?: number };
  receivedVideo(): ReturnType<CallClient['receivedVideo']>;
  captureAndStore(consultationId: string): Promise<unknown>;
}

const w = window as unknown as Window & PageApi;
let call: CallClient | undefined;
let session: SessionClient | undefined;
let options: StartOptions | undefined;

w.startCall = async (start) => {
  options = start;
  localStorage.setItem('telemed.locale', start.locale);
  session = new SessionClient('');
  session.locale = start.locale;
  await session.login({ username: start.username, password: start.password });
  const signal = new SignalClient({
    url: start.signalingUrl,
    accessToken: () => start.accessToken,
    locale: () => start.locale,
  });
  call = new CallClient({ signal, selfId: start.selfId, qualityIntervalMs: 1_000 });
  await call.join(start.appointmentId, await openLocalStream());
  return call.state;
};

w.admit = (participantId) => call!.admit(participantId);
w.sentVideoSize = () => call!.snapshot.localStream?.getVideoTracks()[0]?.getSettings() ?? {};
w.receivedVideo = () => call!.receivedVideo();

function SelfView() {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = call!.snapshot.localStream;
  }, []);
  return h('video', { ref: video, autoPlay: true, muted: true, playsInline: true, style: { width: '100%' } });
}

function Responder({ consultationId }: { consultationId: string }) {
  const state = useSnapshotResponder(consultationId);
  return h(
    'output',
    { id: 'responder', 'data-status': state.status },
    'message' in state ? state.message : '',
  );
}

/** The call screen's side region and, for the specialist, the snapshot button, as the call screen places them. */
w.showPanels = (consultationId) => {
  const start = options!;
  const root = createRoot(document.getElementById('root')!);
  const layout = h(
    'div',
    { style: { display: 'flex', flexWrap: 'wrap', gap: 16, padding: 16, alignItems: 'flex-start' } },
    h(
      'section',
      { style: { flex: '2 1 320px', display: 'flex', flexDirection: 'column', gap: 8 } },
      h(SelfView),
      start.role === 'specialist' ? h(SnapshotButton, { consultationId }) : h(Responder, { consultationId }),
    ),
    h(
      'aside',
      { style: { flex: '1 1 320px', minWidth: 0 } },
      h(ConsultationSidePanels, { appointmentId: start.appointmentId, consultationId, role: start.role }),
    ),
  );
  root.render(
    h(AppProviders, {
      sessionClient: session!,
      initialLocale: start.locale,
      children: h(CallProvider, { client: call!, children: layout }),
    }),
  );
};

/** captureStill on the call's own camera track, stored in records and fetched back: the sizes at each step. */
w.captureAndStore = async (consultationId) => {
  const track = call!.snapshot.localStream!.getVideoTracks()[0]!;
  const before = track.getSettings();
  const still = await captureStill(track);
  const after = track.getSettings();
  const stored = await session!.call('uploadAttachment', {
    params: { id: consultationId },
    upload: { contentType: still.contentType, bytes: still.blob, fileName: 'still.jpg' },
  });
  const download = await session!.call('downloadAttachment', {
    params: { id: consultationId, attachmentId: stored.id },
  });
  const bitmap = await createImageBitmap(
    new Blob([download.bytes as Uint8Array<ArrayBuffer>], { type: download.contentType }),
  );
  return {
    method: still.method,
    captured: { width: still.width, height: still.height },
    largest: { width: track.getCapabilities().width?.max, height: track.getCapabilities().height?.max },
    sentBefore: { width: before.width, height: before.height },
    sentAfter: { width: after.width, height: after.height },
    stored: { id: stored.id, size: stored.size, contentType: stored.contentType },
    fetchedBack: { width: bitmap.width, height: bitmap.height, bytes: download.bytes.length },
  };
};
