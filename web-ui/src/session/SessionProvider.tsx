import type { SessionUser } from '@telemed/shared';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { useLocale } from '../i18n/LocaleProvider.js';
import { SessionClient } from './SessionClient.js';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: SessionUser };

interface SessionContextValue {
  state: SessionState;
  client: SessionClient;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Owns the session client (the page's own origin unless one is given); on load it resumes a sign-in from the refresh cookie. */
export function SessionProvider({
  children,
  client: given,
}: {
  children: ReactNode;
  client?: SessionClient;
}) {
  const { locale } = useLocale();
  const client = useMemo(() => given ?? new SessionClient(), [given]);
  const [state, setState] = useState<SessionState>({ status: 'restoring' });
  client.locale = locale;

  useEffect(() => {
    const unsubscribe = client.subscribe((user) =>
      setState(user ? { status: 'signed-in', user } : { status: 'signed-out' }),
    );
    void client.restore();
    return unsubscribe;
  }, [client]);

  const value = useMemo(() => ({ state, client }), [state, client]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in person; only for screens under the session guard, which renders them only when signed in. */
export function useSignedInUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signed-in')
    throw new Error('useSignedInUser is for screens shown only when signed in');
  return state.user;
}
