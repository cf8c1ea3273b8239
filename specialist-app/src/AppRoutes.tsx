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
import { AvailabilityPage } from './pages/AvailabilityPage.js';
import { ConsultationNotePage } from './pages/ConsultationNotePage.js';
import { HomePage } from './pages/HomePage.js';
import { NotesPage } from './pages/NotesPage.js';
import { PatientHistoryPage } from './pages/PatientHistoryPage.js';
import { SchedulePage } from './pages/SchedulePage.js';
import { SpecialistSections } from './SpecialistSections.js';

export const specialistApp: AppIdentity = {
  role: 'specialist',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

/** The specialist app's screens, each at its own URL. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage app={specialistApp} />} />
      <Route element={<RequireSession app={specialistApp} />}>
        <Route element={<SpecialistSections />}>
          <Route index element={<HomePage />} />
          <Route path="/schedule" element={<SchedulePage />} />
          <Route path="/notes" element={<NotesPage />} />
          <Route path="/patients/:patientId" element={<PatientHistoryPage />} />
          <Route path="/availability" element={<AvailabilityPage />} />
        </Route>
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
        <Route path="/consultations/:appointmentId/note" element={<ConsultationNotePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
