import type { SignalingNotification, WaitingEntry } from '@telemed/shared';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
// The signaling link only: the media half of the call client (mediasoup-client) stays out of the home pages.
import { SignalClient, SignalState } from '../../../call/SignalClient.js';
import { useLocale } from '../../../i18n/LocaleProvider.js';
import { useSession } from '../../../session/SessionProvider.js';

export type ReceivedInvitation = SignalingNotification<'invitation:received'>;

export interface LiveSignaling {
  /** Whether the link is up (the lists below are live only then). */
  connected: boolean;
  /** The clinics waiting for the signed-in specialist, across their appointments, oldest first. */
  waiting: WaitingEntry[];
  /** Invitations into other specialists' calls received since the app opened, newest first. */
  invitations: ReceivedInvitation[];
  /** The last invitations withdrawn, so the screen can say so. */
  withdrawn: SignalingNotification<'invitation:withdrawn'>[];
}

const LiveSignalingContext = createContext<LiveSignaling | null>(null);

const offline: LiveSignaling = { connected: false, waiting: [], invitations: [], withdrawn: [] };

/**
 * The specialist app's signaling link while someone is signed in as a specialist: the live waiting list
 * (`waiting:list` on every connection, then `waiting:changed`) and the invitations into calls. The call itself
 * opens a link of its own on the consultation page, as the call client owns and closes the link it is given.
 */
export function LiveSignalingProvider({ children, url }: { children: ReactNode; url?: string }) {
  const { state, client: session } = useSession();
  const { locale } = useLocale();
  const userId = state.status === 'signed-in' && state.user.role === 'specialist' ? state.user.id : null;
  const [live, setLive] = useState<LiveSignaling>(offline);
  const localeRef = useRef(locale);
  localeRef.current = locale;

  useEffect(() => {
    if (!userId) return;
    const signal = new SignalClient({
      ...(url ? { url } : {}),
      accessToken: () => session.accessToken,
      locale: () => localeRef.current,
    });
    let closed = false;
    const refreshList = () =>
      signal
        .request('waiting:list')
        .then(({ waiting }) => !closed && setLive((l) => ({ ...l, waiting })))
        .catch(() => undefined);
    const stops = [
      signal.onState(({ state: link }) => {
        setLive((l) => ({ ...l, connected: link === SignalState.connected }));
        if (link === SignalState.connected) void refreshList();
      }),
      signal.on('waiting:changed', ({ waiting }) => setLive((l) => ({ ...l, waiting }))),
      signal.on('invitation:received', (invitation) =>
        setLive((l) => ({
          ...l,
          invitations: [
            invitation,
            ...l.invitations.filter((i) => i.appointmentId !== invitation.appointmentId),
          ],
          withdrawn: l.withdrawn.filter((w) => w.appointmentId !== invitation.appointmentId),
        })),
      ),
      signal.on('invitation:withdrawn', (notice) =>
        setLive((l) => ({
          ...l,
          invitations: l.invitations.filter((i) => i.appointmentId !== notice.appointmentId),
          withdrawn: [notice, ...l.withdrawn.filter((w) => w.appointmentId !== notice.appointmentId)].slice(
            0,
            3,
          ),
        })),
      ),
      // The server closes the link when the token expires: a refreshed session connects again.
      signal.on('session:expired', () => {
        void session.restore().then((user) => {
          if (user && !closed) void signal.connect().catch(() => undefined);
        });
      }),
    ];
    void signal.connect().catch(() => undefined);
    return () => {
      closed = true;
      for (const stop of stops) stop();
      signal.close();
      setLive(offline);
    };
  }, [userId, session, url]);

  return <LiveSignalingContext.Provider value={live}>{children}</LiveSignalingContext.Provider>;
}

export function useLiveSignaling(): LiveSignaling {
  return useContext(LiveSignalingContext) ?? offline;
}
