import {
  type AppIdentity,
  ChangePasswordPage,
  changePasswordPath,
  consultationRoute,
  LoginPage,
  NotFoundPage,
  RequireSession,
} from '@telemed/web-ui';

// The call screens carry mediasoup-client: loaded only when a consultation is opened.
const ConsultationPage = lazy(() => import('@telemed/web-ui/consultation'));

import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { HomePage } from './pages/HomePage.js';
import { SignedNotePage } from './pages/SignedNotePage.js';

export const clinicApp: AppIdentity = {
  role: 'clinic_doctor',
  titleKey: 'app.clinic.title',
  subtitleKey: 'app.clinic.subtitle',
};

/** The clinic app's screens, each at its own URL. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage app={clinicApp} />} />
      <Route element={<RequireSession app={clinicApp} />}>
        <Route index element={<HomePage />} />
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
        <Route path={changePasswordPath} element={<ChangePasswordPage />} />
        <Route path="/consultations/:appointmentId/note" element={<SignedNotePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
