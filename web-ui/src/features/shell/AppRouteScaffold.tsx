import { Center, Loader } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { consultationRoute } from '../consultation/call/consultationPath.js';
import type { AppIdentity } from '../session/AppIdentity.js';
import { ChangePasswordPage } from '../session/ChangePasswordPage.js';
import { LoginPage } from '../session/LoginPage.js';
import { changePasswordPath, RequireSession } from '../session/RequireSession.js';
import { NotFoundPage } from './NotFoundPage.js';

// The call screens carry mediasoup-client: loaded only when a consultation is opened.
const ConsultationPage = lazy(() => import('../consultation/ConsultationPage.js'));

export interface AppRouteScaffoldProps {
  app: AppIdentity;
  /** Whether the app holds consultations: the call screen at `consultationRoute`. */
  consultations?: boolean;
  /** The app's own pages: `<Route>` elements, shown only to a signed-in person of the app's role. */
  children: ReactNode;
}

/**
 * The routes every app has around its own pages: sign-in, the session guard, changing the password, the page
 * that is not found and, for the apps that hold them, the consultation.
 */
export function AppRouteScaffold({ app, consultations = false, children }: AppRouteScaffoldProps) {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage app={app} />} />
      <Route element={<RequireSession app={app} />}>
        {children}
        {consultations && (
          <Route
            path={consultationRoute}
            element={
              <Suspense
                fallback={
                  <Center p="xl">
                    <Loader aria-hidden />
                  </Center>
                }
              >
                <ConsultationPage />
              </Suspense>
            }
          />
        )}
        <Route path={changePasswordPath} element={<ChangePasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
