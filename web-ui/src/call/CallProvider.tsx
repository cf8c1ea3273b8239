import { createContext, type ReactNode, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { CallClient, CallParticipant, CallSnapshot, CallState } from './CallClient.js';

const CallContext = createContext<CallClient | null>(null);

/**
 * Gives the screens one `CallClient` (made by the caller, who knows the session and the signaling URL); the
 * client is closed when the provider goes, as leaving the consultation's screens ends the call.
 */
export function CallProvider({ client, children }: { client: CallClient; children: ReactNode }) {
  const closing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    // StrictMode unmounts and mounts again at once in development: the close waits a tick and a remount cancels it.
    clearTimeout(closing.current);
    return () => {
      closing.current = setTimeout(() => client.close(), 0);
    };
  }, [client]);
  return <CallContext.Provider value={client}>{children}</CallContext.Provider>;
}

/** The call client, for its actions (join, admit, leave, mute…). */
export function useCall(): CallClient {
  const client = useContext(CallContext);
  if (!client) throw new Error('useCall must be used inside <CallProvider>');
  return client;
}

/** The whole call as it is now; the component renders again on every change. */
export function useCallSnapshot(): CallSnapshot {
  const client = useCall();
  return useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
}

/** A slice of the call: the component renders again only when the slice changes (compared with `Object.is`). */
export function useCallSelector<T>(select: (snapshot: CallSnapshot) => T): T {
  const client = useCall();
  const read = () => select(client.getSnapshot());
  return useSyncExternalStore(client.subscribe, read, read);
}

export function useCallState(): CallState {
  return useCallSelector((s) => s.state);
}

export function useParticipants(): CallParticipant[] {
  return useCallSelector((s) => s.participants);
}

export function useRemoteStreams(): Record<string, MediaStream> {
  return useCallSelector((s) => s.remoteStreams);
}

/** The others' screen shares by participant: a call screen shows one large. */
export function useRemoteScreens(): Record<string, MediaStream> {
  return useCallSelector((s) => s.remoteScreens);
}

export function useLocalStream(): MediaStream | null {
  return useCallSelector((s) => s.localStream);
}
