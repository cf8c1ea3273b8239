import {
  type AppIdentity,
  ChangePasswordPage,
  changePasswordPath,
  LoginPage,
  NotFoundPage,
  RequireSession,
} from '@telemed/web-ui';
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
        <Route path={changePasswordPath} element={<ChangePasswordPage />} />
        <Route path="/consultations/:appointmentId/note" element={<SignedNotePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
