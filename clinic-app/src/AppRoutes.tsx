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
import { BookAppointmentPage } from './pages/BookAppointmentPage.js';
import { EditPatientPage } from './pages/EditPatientPage.js';
import { HomePage } from './pages/HomePage.js';
import { PatientPage } from './pages/PatientPage.js';
import { RegisterPatientPage } from './pages/RegisterPatientPage.js';
import { SignedNotePage } from './pages/SignedNotePage.js';
import { UrgentRequestPage } from './pages/UrgentRequestPage.js';

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
        <Route path="/patients/new" element={<RegisterPatientPage />} />
        <Route path="/patients/:id" element={<PatientPage />} />
        <Route path="/patients/:id/edit" element={<EditPatientPage />} />
        <Route path="/patients/:id/book" element={<BookAppointmentPage />} />
        <Route path="/patients/:id/urgent" element={<UrgentRequestPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
