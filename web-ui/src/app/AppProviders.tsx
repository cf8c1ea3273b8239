import { DirectionProvider, MantineProvider, mergeThemeOverrides, useDirection } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import '../forms/dayjsLocales.js';
import { LocaleProvider, useLocale, useT } from '../i18n/LocaleProvider.js';
import { shouldRetryRecordsCall } from '../records/useRecordsQuery.js';
import type { SessionClient } from '../session/SessionClient.js';
import { SessionProvider, useSession } from '../session/SessionProvider.js';
import { theme } from '../theme/theme.js';

export interface AppProvidersProps {
  children: ReactNode;
  /** Tests point the apps at a records server of their own; the apps use the page's origin. */
  sessionClient?: SessionClient;
  initialLocale?: 'ar' | 'en';
}

/** Language (and its direction), Mantine's theme, TanStack Query's cache and the session, in that order. */
export function AppProviders({ children, sessionClient, initialLocale }: AppProvidersProps) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: shouldRetryRecordsCall, staleTime: 15_000 },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <LocaleProvider {...(initialLocale ? { initialLocale } : {})}>
      <DirectionOfLocale>
        <LocalizedMantine>
          <QueryClientProvider client={queryClient}>
            <SessionProvider {...(sessionClient ? { client: sessionClient } : {})}>
              <ForgetDataOnSignOut />
              {children}
            </SessionProvider>
          </QueryClientProvider>
        </LocalizedMantine>
      </DirectionOfLocale>
    </LocaleProvider>
  );
}

/**
 * The theme with the names Mantine gives its own controls in English (the password's show/hide toggle) put in
 * the page's language, so a screen reader on an Arabic page does not announce them in English; and the dates
 * components' locale.
 */
function LocalizedMantine({ children }: { children: ReactNode }) {
  const t = useT();
  const { locale } = useLocale();
  const localized = useMemo(
    () =>
      mergeThemeOverrides(theme, {
        components: {
          PasswordInput: {
            defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('login.togglePassword') } },
          },
        },
      }),
    [t],
  );
  return (
    <MantineProvider theme={localized}>
      {/* Calendars in the page's language; weeks start on Saturday and the weekend is Friday and Saturday, as in Egypt. */}
      <DatesProvider settings={{ locale, firstDayOfWeek: 6, weekendDays: [5, 6] }}>{children}</DatesProvider>
    </MantineProvider>
  );
}

/** Mantine lays out (and mirrors its components) by the direction of the chosen language. */
function DirectionOfLocale({ children }: { children: ReactNode }) {
  const { direction } = useLocale();
  return (
    <DirectionProvider initialDirection={direction} detectDirection={false}>
      <DirectionFollowsLocale />
      {children}
    </DirectionProvider>
  );
}

function DirectionFollowsLocale() {
  const { direction } = useLocale();
  const { dir, setDirection } = useDirection();
  useEffect(() => {
    if (dir !== direction) setDirection(direction);
  }, [dir, direction, setDirection]);
  return null;
}

/** Patient data cached for one person is never shown to the next one signing in on the same screen. */
function ForgetDataOnSignOut() {
  const { state } = useSession();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (state.status === 'signed-out') queryClient.clear();
  }, [state.status, queryClient]);
  return null;
}
